//! Warnings the core queued (corrupt files moved aside, skipped lines) and
//! the durability and test-clock settings.

use napi_derive::napi;
use oxe_runtime::{clock, store};

use crate::guard::guard;

/// Drain queued diagnostics as a JSON array text, or `null` when none.
#[napi(js_name = "takeDiagnostics")]
pub fn take_diagnostics() -> napi::Result<Option<String>, String> {
    guard("takeDiagnostics", || {
        let d = store::take_diagnostics();
        if d.is_empty() {
            return Ok(None);
        }
        Ok(Some(serde_json::to_string(&d).map_err(|e| {
            oxe_runtime::OxeError::json("diagnostics", e)
        })?))
    })
}

/// `"strict"`, `"normal"`, or `null` to return to `OXE_DURABILITY`.
#[napi(js_name = "setDurability")]
pub fn set_durability(mode: Option<String>) -> napi::Result<String, String> {
    guard("setDurability", || {
        let d = match mode.as_deref() {
            None => None,
            Some("strict") => Some(store::Durability::Strict),
            Some("normal") => Some(store::Durability::Normal),
            Some(other) => {
                return Err(oxe_runtime::OxeError::Arg(format!(
                    "durability must be \"strict\" or \"normal\", got {other:?}"
                )))
            }
        };
        store::set_durability(d);
        Ok(match store::durability() {
            store::Durability::Strict => "strict".into(),
            store::Durability::Normal => "normal".into(),
        })
    })
}

/// Freeze the clock (epoch ms) and seed random ids; both `null` to release.
#[napi(js_name = "setTestClock")]
pub fn set_test_clock(now_ms: Option<f64>, seed: Option<f64>) -> napi::Result<(), String> {
    guard("setTestClock", || {
        clock::set_test_clock(now_ms.map(|n| n as i64), seed.map(|s| s as u64));
        Ok(())
    })
}
