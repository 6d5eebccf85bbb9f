//! gate binding: `GateManager` requests, resolutions and queries. The
//! manager's identity (project root, session, run id) crosses with every
//! call, since 1.4.0 re-reads `GATES.json` on each call too.

use std::path::Path;

use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::gate::{self, GateManager};
use oxe_runtime::jsjson;
use oxe_runtime::OxeResult;
use serde_json::Value;

use crate::guard::guard;

fn parse_opt(what: &str, text: &Option<String>) -> OxeResult<Option<Value>> {
    text.as_deref().map(|t| parse_wire(what, t)).transpose()
}

/// `request(scope, ctx)`; `run_id` and `scope` are JSON texts or `undefined`.
#[napi(js_name = "gateRequest")]
pub fn gate_request(
    project_root: String,
    session_id: Option<String>,
    run_id: Option<String>,
    scope: Option<String>,
    ctx: String,
) -> napi::Result<String, String> {
    guard("GateManager.request", || {
        let run = parse_opt("runId", &run_id)?;
        let scope = parse_opt("scope", &scope)?;
        let ctx = parse_wire("gate context", &ctx)?;
        let m = GateManager {
            root: Path::new(&project_root),
            session: session_id.as_deref(),
            run_id: run.as_ref(),
        };
        Ok(jsjson::to_line(&m.request(scope.as_ref(), &ctx)?))
    })
}

/// `resolve(token, resolution)`; returns the resolved gate's JSON text.
#[napi(js_name = "gateResolve")]
pub fn gate_resolve(
    project_root: String,
    session_id: Option<String>,
    run_id: Option<String>,
    token: String,
    resolution: String,
) -> napi::Result<String, String> {
    guard("GateManager.resolve", || {
        let run = parse_opt("runId", &run_id)?;
        let token = parse_wire("gate token", &token)?;
        let resolution = parse_wire("gate resolution", &resolution)?;
        let m = GateManager {
            root: Path::new(&project_root),
            session: session_id.as_deref(),
            run_id: run.as_ref(),
        };
        Ok(jsjson::to_line(&m.resolve(&token, &resolution)?))
    })
}

/// A read-only query (`op` is the method name); `arg` is its argument as
/// JSON text or `undefined`, `hours` its SLA.
#[napi(js_name = "gateQuery")]
pub fn gate_query(
    project_root: String,
    session_id: Option<String>,
    op: String,
    arg: Option<String>,
    hours: f64,
) -> napi::Result<String, String> {
    guard("GateManager", || {
        let arg = parse_opt("query", &arg)?;
        let m = GateManager {
            root: Path::new(&project_root),
            session: session_id.as_deref(),
            run_id: None,
        };
        Ok(jsjson::to_line(&gate::query(&m, &op, arg.as_ref(), hours)?))
    })
}
