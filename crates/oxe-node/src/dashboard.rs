//! SDK namespace `dashboard`: adapters to `oxe_cli::dashboard`. Values
//! cross as JSON text; `lib/sdk/dashboard.js` builds the objects (and the
//! `http.Server`-like handle of `createDashboardServer`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use napi_derive::napi;
use oxe_cli::dashboard::context::{load_context, SessionChoice};
use oxe_cli::dashboard::server::{start_background, Background, ServerConfig};
use oxe_cli::dashboard::{check_session, review, DashError};
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use serde_json::{json, Value};

use crate::guard::guard;
use crate::health::env_of;

/// `String(v)` of a truthy option value, else `None`.
fn truthy_text(v: &Value) -> Option<String> {
    oxe_cli::runtime_cmd::js::truthy_of(Some(v)).map(oxe_cli::runtime_cmd::js::js_string)
}

/// Runs `f` under the panic guard; a [`DashError`] becomes a JS error with
/// its `OXE_E_…` code.
fn run<T>(name: &str, f: impl FnOnce() -> Result<T, DashError>) -> napi::Result<T, String> {
    match guard(name, || Ok(f()))? {
        Ok(v) => Ok(v),
        Err(e) => Err(napi::Error::new(e.code().to_string(), e.to_string())),
    }
}

fn wire(what: &str, text: &str) -> Result<Value, DashError> {
    parse_wire(what, text).map_err(|e| DashError::BadRequest(e.to_string()))
}

/// `dashboard.<method>(projectRoot, options)`; `options` is JSON text (an
/// object, or `null` when omitted). Answers JSON text.
#[napi(js_name = "sdkDashboard")]
pub fn sdk_dashboard(
    method: String,
    project_root: String,
    options: String,
    env: HashMap<String, String>,
    package_root: String,
) -> napi::Result<String, String> {
    let name = method.clone();
    run(&name, move || {
        let env = env_of(env, package_root);
        let root = Path::new(&project_root);
        let o = wire("options", &options)?;
        let o = if o.is_object() { o } else { json!({}) };
        let out = match method.as_str() {
            "loadDashboardContext" => {
                let choice = match o.get("activeSession") {
                    None => SessionChoice::FromState,
                    Some(v) => SessionChoice::Given(truthy_text(v)),
                };
                load_context(root, choice, &env)?
            }
            "savePlanReviewStatus" => review::save_status(root, &o, env.lang)?,
            "addPlanReviewComment" => review::add_comment(root, &o, env.lang)?,
            "updatePlanReviewCommentStatus" => {
                review::update_comment(root, &o, false, env.lang)?.unwrap_or(Value::Null)
            }
            other => {
                return Err(DashError::BadRequest(format!(
                    "dashboard: unknown member {other:?}"
                )))
            }
        };
        Ok(jsjson::to_line(&out))
    })
}

fn servers() -> &'static Mutex<HashMap<u32, Background>> {
    static S: OnceLock<Mutex<HashMap<u32, Background>>> = OnceLock::new();
    S.get_or_init(|| Mutex::new(HashMap::new()))
}

static NEXT: AtomicU32 = AtomicU32::new(1);

/// Starts a dashboard server on a background thread of the addon.
/// `options` is JSON `{activeSession, readOnly, token}` (`token`: a string,
/// or `true` for a fresh one). Answers `{id, port, host, token}`; a busy port or a non-loopback host throws
/// (`OXE_E_DASHBOARD_LISTEN`).
#[napi(js_name = "dashboardServerStart")]
pub fn dashboard_server_start(
    project_root: String,
    options: String,
    host: String,
    port: u32,
    env: HashMap<String, String>,
    package_root: String,
) -> napi::Result<String, String> {
    let bind_host = host.clone();
    let started = run("createDashboardServer", move || {
        let env = env_of(env, package_root);
        let o = wire("options", &options)?;
        let session = o.get("activeSession").and_then(truthy_text);
        let session = check_session(session.as_deref())?;
        // a string is the token; `true` asks for a fresh one
        let token = match o.get("token") {
            Some(Value::String(t)) if !t.is_empty() => Some(t.clone()),
            Some(Value::Bool(true)) => Some(oxe_cli::dashboard::guard::make_token()),
            _ => None,
        };
        let root =
            std::path::absolute(&project_root).unwrap_or_else(|_| PathBuf::from(&project_root));
        let cfg = ServerConfig {
            root,
            session,
            read_only: o.get("readOnly").is_some_and(jsjson::truthy),
            token,
            env,
        };
        let port = u16::try_from(port)
            .map_err(|_| DashError::BadRequest(format!("invalid port {port}")))?;
        let token = cfg.token.clone();
        Ok((start_background(cfg, &bind_host, port), token))
    })?;
    let (started, token) = started;
    let bg = started.map_err(|e| {
        napi::Error::new(
            "OXE_E_DASHBOARD_LISTEN".to_string(),
            format!("listen {host}:{port}: {e}"),
        )
    })?;
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    let port = bg.port;
    if let Ok(mut m) = servers().lock() {
        m.insert(id, bg);
    }
    Ok(jsjson::to_line(
        &json!({"id": id, "port": port, "host": host, "token": token}),
    ))
}

/// Stops a server started by [`dashboard_server_start`]; false when the id
/// is unknown (already stopped).
#[napi(js_name = "dashboardServerStop")]
pub fn dashboard_server_stop(id: u32) -> napi::Result<bool, String> {
    guard("closeDashboardServer", || {
        let bg = servers().lock().ok().and_then(|mut m| m.remove(&id));
        Ok(match bg {
            Some(b) => {
                b.stop();
                true
            }
            None => false,
        })
    })
}
