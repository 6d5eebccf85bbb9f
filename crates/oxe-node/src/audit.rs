//! audit binding: the audit trail (record, queries, metrics, hash-chain
//! verification), run quotas (numbers cross as f64, so `Infinity` stays
//! `Infinity` in JS) and policy packs.

use std::path::Path;

use napi_derive::napi;
use oxe_runtime::audit::{self, quota};
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use serde_json::Value;

use crate::guard::guard;
use crate::policy::OneCallText;

/// `record(action, actor, options)`; `args` is `{action, actor, options}`
/// as JSON text. Returns the entry's JSON text.
#[napi(js_name = "auditRecord")]
pub fn audit_record(project_root: String, args: OneCallText) -> napi::Result<String, String> {
    guard("AuditTrail.record", || {
        let args = parse_wire("audit record", &args.0)?;
        let get = |k: &str| args.get(k);
        let options = get("options")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let (_, text) = audit::record_with_text(
            Path::new(&project_root),
            get("action"),
            get("actor"),
            &options,
        )?;
        Ok(text)
    })
}

/// `query(filter)`: a JSON array text of entries.
#[napi(js_name = "auditQuery")]
pub fn audit_query(project_root: String, filter: String) -> napi::Result<String, String> {
    guard("AuditTrail.query", || {
        let filter = parse_wire("audit query filter", &filter)?;
        let entries = audit::load(Path::new(&project_root))?;
        Ok(audit::to_json_array(&audit::query(&entries, &filter)))
    })
}

#[napi(js_name = "auditMetrics")]
pub fn audit_metrics(project_root: String) -> napi::Result<String, String> {
    guard("AuditTrail.metrics", || {
        let entries = audit::load(Path::new(&project_root))?;
        Ok(jsjson::to_line(&Value::Object(audit::metrics(&entries))))
    })
}

/// The hash-chain report of the trail (JSON text).
#[napi(js_name = "auditVerify")]
pub fn audit_verify(project_root: String) -> napi::Result<String, String> {
    guard("AuditTrail.verify", || {
        Ok(jsjson::to_line(&audit::verify(Path::new(&project_root))?))
    })
}

/// `[max_work_items, max_mutations, max_retries_total, consumed_work_items,
/// consumed_mutations, consumed_retries]` of a new quota.
#[napi(js_name = "quotaCreate")]
pub fn quota_create(
    max_work_items: Option<f64>,
    max_mutations: Option<f64>,
    max_retries_total: Option<f64>,
) -> napi::Result<Vec<f64>, String> {
    guard("createQuota", || {
        Ok(quota::create_quota([max_work_items, max_mutations, max_retries_total]).to_vec())
    })
}

#[napi(object)]
pub struct QuotaViolation {
    #[napi(js_name = "quota_type")]
    pub quota_type: String,
    pub limit: f64,
    pub consumed: f64,
}

/// `checkQuota`: the first violation, or `null`.
#[napi(js_name = "quotaCheck")]
pub fn quota_check(
    consumed_work_items: Option<f64>,
    max_work_items: Option<f64>,
    consumed_mutations: Option<f64>,
    max_mutations: Option<f64>,
    consumed_retries: Option<f64>,
    max_retries_total: Option<f64>,
) -> napi::Result<Option<QuotaViolation>, String> {
    guard("checkQuota", || {
        Ok(quota::check_quota(
            [consumed_work_items, consumed_mutations, consumed_retries],
            [max_work_items, max_mutations, max_retries_total],
        )
        .map(|v| QuotaViolation {
            quota_type: v.quota_type.to_string(),
            limit: v.limit,
            consumed: v.consumed,
        }))
    })
}

/// The counter a quota type consumes, or `null` for an unknown type.
#[napi(js_name = "quotaCounter")]
pub fn quota_counter(quota_type: String) -> napi::Result<Option<String>, String> {
    guard("consumeQuota", || {
        Ok(quota::consumed_field(&quota_type).map(str::to_string))
    })
}

#[napi(js_name = "savePolicyPack")]
pub fn save_policy_pack(project_root: String, pack: String) -> napi::Result<(), String> {
    guard("savePolicyPack", || {
        let pack = parse_wire("policy pack", &pack)?;
        audit::save_policy_pack(Path::new(&project_root), &pack)
    })
}

/// The pack's JSON text, or `null`.
#[napi(js_name = "loadPolicyPack")]
pub fn load_policy_pack(
    project_root: String,
    pack_id: String,
) -> napi::Result<Option<String>, String> {
    guard("loadPolicyPack", || {
        Ok(audit::load_policy_pack(Path::new(&project_root), &pack_id)?
            .map(|v| jsjson::to_line(&v)))
    })
}

/// A JSON array text of every pack.
#[napi(js_name = "listPolicyPacks")]
pub fn list_policy_packs(project_root: String) -> napi::Result<String, String> {
    guard("listPolicyPacks", || {
        let packs = audit::list_policy_packs(Path::new(&project_root))?;
        Ok(jsjson::to_line(&Value::Array(packs)))
    })
}
