//! scheduler: a session object that the JS driver resumes. Requests and
//! responses cross as JSON text (see oxe_runtime::scheduler::coroutine).

use std::path::PathBuf;

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::scheduler::coroutine::{Response, Step};
use oxe_runtime::scheduler::state::{Collaborators, RunConfig};
use oxe_runtime::scheduler::SchedulerSession;
use oxe_runtime::OxeError;
use serde_json::{json, Value};

use crate::guard::guard;

#[napi]
pub struct SchedulerCore {
    inner: SchedulerSession,
}

fn flag(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

/// Create a session. `config`: `{projectRoot, sessionId, runId, policyActor,
/// has: {onEvent, auditTrail, policyEngine, gateManager, pluginRegistry,
/// quota}}`; `graph`: `{nodes: [[id, node]…], waves}`.
#[napi(js_name = "schedulerCreate")]
pub fn scheduler_create(config: String, graph: String) -> napi::Result<SchedulerCore, String> {
    guard("Scheduler", || {
        let c = parse_wire("scheduler context", &config)?;
        let g = parse_wire("execution graph", &graph)?;
        let text = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
        let has = c.get("has").cloned().unwrap_or(Value::Null);
        let cfg = RunConfig {
            allow_external_deps: flag(&c, "allowExternalDeps"),
            project_root: PathBuf::from(
                text("projectRoot")
                    .ok_or_else(|| OxeError::Arg("ctx.projectRoot must be a string".into()))?,
            ),
            session_id: text("sessionId").filter(|s| !s.is_empty()),
            run_id: text("runId")
                .ok_or_else(|| OxeError::Arg("ctx.runId must be a string".into()))?,
            policy_actor: text("policyActor").unwrap_or_else(|| "runtime".into()),
            has: Collaborators {
                on_event: flag(&has, "onEvent"),
                audit_trail: flag(&has, "auditTrail"),
                policy_engine: flag(&has, "policyEngine"),
                gate_manager: flag(&has, "gateManager"),
                plugin_registry: flag(&has, "pluginRegistry"),
                quota: flag(&has, "quota"),
            },
        };
        // reject ids that would leave .oxe/ before anything is written
        oxe_runtime::paths::run_dir(&cfg.project_root, &cfg.run_id)?;
        oxe_runtime::paths::execution_root(&cfg.project_root, cfg.session_id.as_deref())?;
        Ok(SchedulerCore {
            inner: SchedulerSession::new(cfg, &g)?,
        })
    })
}

fn step_json(step: Step) -> String {
    match step {
        Step::Request(r) => jsjson::to_line(&r),
        Step::Done(Ok(v)) => jsjson::to_line(&json!({ "op": "done", "value": v })),
        Step::Done(Err(t)) => {
            jsjson::to_line(&json!({ "op": "throw", "token": t.token, "message": t.message }))
        }
    }
}

#[napi]
impl SchedulerCore {
    #[napi(js_name = "startRun")]
    pub fn start_run(&mut self) -> u32 {
        self.inner.start_run()
    }

    /// A handle, or `null` when there is nothing to recover.
    #[napi(js_name = "startRecover")]
    pub fn start_recover(&mut self) -> napi::Result<Option<u32>, String> {
        guard("Scheduler.recover", || self.inner.start_recover())
    }

    #[napi(js_name = "spawnNode")]
    pub fn spawn_node(&mut self, id: String) -> u32 {
        self.inner.spawn_node(id)
    }

    /// Resume coroutine `handle` with `{"ok": v}` or `{"throw": token,
    /// "message": m}` (or nothing, the first time); returns its next request.
    #[napi]
    pub fn resume(
        &mut self,
        handle: u32,
        response: Option<String>,
    ) -> napi::Result<String, String> {
        guard("Scheduler", || {
            let response = match response {
                None => None,
                Some(text) => {
                    let v = parse_wire("scheduler response", &text)?;
                    Some(match v.get("throw") {
                        Some(token) => Response::Throw {
                            token: token.clone(),
                            message: v.get("message").map(jsjson::js_string).unwrap_or_default(),
                        },
                        None => Response::Ok(v.get("ok").cloned().unwrap_or(Value::Null)),
                    })
                }
            };
            Ok(step_json(self.inner.resume(handle, response)))
        })
    }

    #[napi]
    pub fn pause(&self) -> napi::Result<(), String> {
        guard("Scheduler.pause", || self.inner.pause())
    }

    #[napi(js_name = "resumeRun")]
    pub fn resume_run(&self) -> napi::Result<(), String> {
        guard("Scheduler.resume", || self.inner.resume_run())
    }

    #[napi]
    pub fn cancel(&self) -> napi::Result<(), String> {
        guard("Scheduler.cancel", || self.inner.cancel())
    }

    /// The journal as JSON text, or `null` before the run saved one.
    #[napi]
    pub fn journal(&self) -> Option<String> {
        self.inner
            .journal()
            .map(|j| jsjson::to_line(&Value::Object(j)))
    }
}
