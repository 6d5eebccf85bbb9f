//! EvidenceStore: collect/list/get/listByRun. Content crosses as a string
//! or a Node Buffer and comes back from `get` as a Buffer; records cross as
//! JSON text.

use std::path::Path;

use napi::bindgen_prelude::{Buffer, Either};
use napi_derive::napi;
use oxe_runtime::error::parse_wire;
use oxe_runtime::{evidence, jsjson};
use serde_json::Value;

use crate::guard::guard;

fn array_text(items: Vec<Value>) -> String {
    jsjson::to_line(&Value::Array(items))
}

/// `collect(type, content, opts)`: `ty`/`opts` are JSON texts; returns the
/// Evidence record's JSON text.
#[napi(js_name = "evidenceCollect")]
pub fn evidence_collect(
    project_root: String,
    ty: String,
    content: Either<String, Buffer>,
    opts: String,
) -> napi::Result<String, String> {
    guard("EvidenceStore.collect", || {
        let ty = parse_wire("evidence type", &ty)?;
        let opts = parse_wire("EvidenceCollectOptions", &opts)?;
        let bytes: &[u8] = match &content {
            Either::A(s) => s.as_bytes(),
            Either::B(b) => b,
        };
        let ev = evidence::collect(Path::new(&project_root), &ty, bytes, &opts)?;
        Ok(jsjson::to_line(&ev))
    })
}

/// `list(opts)`: the index as a JSON array text.
#[napi(js_name = "evidenceList")]
pub fn evidence_list(project_root: String, opts: String) -> napi::Result<String, String> {
    guard("EvidenceStore.list", || {
        let opts = parse_wire("EvidenceCollectOptions", &opts)?;
        Ok(array_text(evidence::list(Path::new(&project_root), &opts)?))
    })
}

#[napi(object)]
pub struct EvidenceRead {
    /// The Evidence record's JSON text.
    pub evidence: String,
    pub content: Buffer,
}

/// `get(evidenceId, opts)`: `null`, or the record and the artifact bytes.
#[napi(js_name = "evidenceGet")]
pub fn evidence_get(
    project_root: String,
    evidence_id: String,
    opts: String,
) -> napi::Result<Option<EvidenceRead>, String> {
    guard("EvidenceStore.get", || {
        let id = parse_wire("evidenceId", &evidence_id)?;
        let opts = parse_wire("EvidenceCollectOptions", &opts)?;
        Ok(
            evidence::get(Path::new(&project_root), &id, &opts)?.map(|(ev, bytes)| EvidenceRead {
                evidence: jsjson::to_line(&ev),
                content: Buffer::from(bytes),
            }),
        )
    })
}

/// `listByRun(runId)`: every record of the run as a JSON array text.
#[napi(js_name = "evidenceListByRun")]
pub fn evidence_list_by_run(project_root: String, run_id: String) -> napi::Result<String, String> {
    guard("EvidenceStore.listByRun", || {
        Ok(array_text(evidence::list_by_run(
            Path::new(&project_root),
            &run_id,
        )?))
    })
}
