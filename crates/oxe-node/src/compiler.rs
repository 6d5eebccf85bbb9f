//! compiler: `compile` and `validateGraph`.

use napi_derive::napi;
use oxe_runtime::compiler;
use oxe_runtime::error::parse_wire;
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

/// `compile(plan, spec, opts)`: the callers' JSON texts in, graph wire JSON out.
#[napi(js_name = "compile")]
pub fn compile(plan: String, spec: String, opts: Option<String>) -> napi::Result<String, String> {
    guard("compile", || {
        Ok(compiler::compile(&plan, &spec, opts.as_deref())?.to_wire())
    })
}

/// `validateGraph(graph)`: `[[id, depends_on]…]` JSON text in, messages out.
#[napi(js_name = "validateGraph")]
pub fn validate_graph(nodes: String) -> napi::Result<Vec<String>, String> {
    guard("validateGraph", || {
        let Value::Array(entries) = parse_wire("graph nodes", &nodes)? else {
            return Err(OxeError::Graph(
                "validateGraph: graph.nodes must be a Map".into(),
            ));
        };
        let pairs: Vec<(Value, Value)> = entries
            .into_iter()
            .map(|e| match e {
                Value::Array(mut p) if p.len() == 2 => {
                    let deps = p.pop().unwrap_or(Value::Null);
                    let id = p.pop().unwrap_or(Value::Null);
                    (id, deps)
                }
                other => (other, Value::Null),
            })
            .collect();
        compiler::validate_graph(&pairs)
    })
}
