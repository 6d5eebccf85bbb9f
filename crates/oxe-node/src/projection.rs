//! ProjectionEngine: every projection is rendered by the core from the
//! projection wire (JSON text) the glue builds.

use napi_derive::napi;
use oxe_runtime::projection;

use crate::guard::guard;

/// `method` is the upstream method name (`projectPlan`, …).
#[napi(js_name = "project")]
pub fn project(method: String, wire: String) -> napi::Result<String, String> {
    guard("ProjectionEngine", || projection::project(&method, &wire))
}
