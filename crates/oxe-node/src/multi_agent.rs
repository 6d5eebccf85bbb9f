//! multi-agent coordinator: a coroutine the JS driver resumes, plus
//! `loadMultiAgentState`.

use std::path::Path;

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::scheduler::coroutine::{Coroutine, Response, Step};
use oxe_runtime::scheduler::multi_agent;
use serde_json::{json, Value};

use crate::guard::guard;

#[napi]
pub struct CoordinatorCore {
    co: Coroutine,
}

/// Check the options (mode, agent count, isolation) and create the
/// coordinator; errors are thrown before anything is written.
#[napi(js_name = "coordinatorCreate")]
pub fn coordinator_create(opts: String, graph: String) -> napi::Result<CoordinatorCore, String> {
    guard("MultiAgentCoordinator.run", || {
        let c = multi_agent::parse(
            &parse_wire("coordination options", &opts)?,
            &parse_wire("graph", &graph)?,
        )?;
        multi_agent::check(&c)?;
        Ok(CoordinatorCore {
            co: Coroutine::new(move |host| multi_agent::coordinate(c, host)),
        })
    })
}

#[napi]
impl CoordinatorCore {
    /// Resume with `{"ok": v}` / `{"throw": t, "message": m}`; returns the next request.
    #[napi]
    pub fn resume(&mut self, response: Option<String>) -> napi::Result<String, String> {
        guard("MultiAgentCoordinator.run", || {
            let response = match response {
                None => None,
                Some(text) => {
                    let v = parse_wire("coordinator response", &text)?;
                    Some(match v.get("throw") {
                        Some(token) => Response::Throw {
                            token: token.clone(),
                            message: v.get("message").map(jsjson::js_string).unwrap_or_default(),
                        },
                        None => Response::Ok(v.get("ok").cloned().unwrap_or(Value::Null)),
                    })
                }
            };
            Ok(match self.co.resume(response) {
                Step::Request(r) => jsjson::to_line(&r),
                Step::Done(Ok(v)) => jsjson::to_line(&json!({ "op": "done", "value": v })),
                Step::Done(Err(t)) => jsjson::to_line(
                    &json!({ "op": "throw", "token": t.token, "message": t.message }),
                ),
            })
        })
    }
}

/// `loadMultiAgentState`: JSON text or `null`.
#[napi(js_name = "loadMultiAgentState")]
pub fn load_multi_agent_state(
    project_root: String,
    run_id: String,
) -> napi::Result<Option<String>, String> {
    guard("loadMultiAgentState", || {
        Ok(
            multi_agent::load_state(Path::new(&project_root), &run_id)?
                .map(|v| jsjson::to_line(&v)),
        )
    })
}

/// `multiAgentStatePath`.
#[napi(js_name = "multiAgentStatePath")]
pub fn multi_agent_state_path(
    project_root: String,
    run_id: String,
) -> napi::Result<String, String> {
    guard("multiAgentStatePath", || {
        Ok(multi_agent::state_path(Path::new(&project_root), &run_id)?
            .display()
            .to_string())
    })
}
