//! context binding: profiles, the pack builder and the pack store.

use std::path::Path;

use napi_derive::napi;
use oxe_runtime::context::{self, builder, store};
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

/// `DEFAULT_PROFILES` as JSON text (the glue parses it once).
#[napi(js_name = "contextProfiles")]
pub fn context_profiles() -> String {
    jsjson::to_line(&context::default_profiles_value())
}

/// `ContextPackBuilder.build` on the glue's wire form (see
/// `builder::build_wire`); options are JS numbers, `undefined` for defaults.
#[napi(js_name = "contextBuild")]
pub fn context_build(
    wire: String,
    max_artifacts: Option<f64>,
    max_tokens: Option<f64>,
    dedup_threshold: Option<f64>,
) -> napi::Result<String, String> {
    guard("ContextPackBuilder.build", || {
        let opts = builder::PackOptions::new(max_artifacts, max_tokens, dedup_threshold);
        Ok(jsjson::to_line(&builder::build_wire(
            &parse_wire("build input", &wire)?,
            &opts,
        )?))
    })
}

/// `scorePackQuality`: `wire` is `{keys, kinds, scores, considered}`;
/// answers `[completeness, relevance_mean, redundancy, recency_score, overall]`.
#[napi(js_name = "contextScoreQuality")]
pub fn context_score_quality(wire: String, built_at_ms: f64) -> napi::Result<Vec<f64>, String> {
    guard("scorePackQuality", || {
        let w = parse_wire("pack", &wire)?;
        let keys: Vec<String> = w["keys"]
            .as_array()
            .map(|k| {
                k.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let empty = Vec::new();
        let kinds = w["kinds"].as_array().unwrap_or(&empty);
        let scores: Vec<f64> = w["scores"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .map(|s| context::js::to_number(Some(s)))
            .collect();
        let considered = context::js::to_number(w.get("considered"));
        let q = builder::score_pack_quality(&keys, kinds, &scores, considered, built_at_ms);
        Ok(vec![
            q.completeness,
            q.relevance_mean,
            q.redundancy,
            q.recency_score,
            q.overall,
        ])
    })
}

/// `filterByMutationScope`: `wire` is `{tags: [[…]…], scope: […]}`;
/// answers `null` (keep the caller's array) or the indices kept.
#[napi(js_name = "contextFilterByScope")]
pub fn context_filter_by_scope(
    wire: String,
    tier: Option<String>,
) -> napi::Result<Option<Vec<u32>>, String> {
    guard("ContextPackBuilder.filterByMutationScope", || {
        let w = parse_wire("artifacts", &wire)?;
        let strings = |v: &Value, what: &str| -> Result<Vec<String>, OxeError> {
            v.as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|s| s.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    OxeError::Arg(format!(
                        "filterByMutationScope: {what} must be an array of strings"
                    ))
                })
        };
        let tags = w["tags"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, t)| strings(t, &format!("artifacts[{i}].tags")))
            .collect::<Result<Vec<_>, _>>()?;
        let scope = strings(&w["scope"], "mutationScope")?;
        Ok(
            builder::filter_by_mutation_scope(&tags, &scope, tier.as_deref())
                .map(|idx| idx.into_iter().map(|i| i as u32).collect()),
        )
    })
}

/// `savePack`; answers the meta's JSON text.
#[napi(js_name = "contextSavePack")]
pub fn context_save_pack(
    project_root: String,
    run_id: String,
    pack: String,
) -> napi::Result<String, String> {
    guard("savePack", || {
        let pack = parse_wire("pack", &pack)?;
        Ok(jsjson::to_line(&store::save_pack(
            Path::new(&project_root),
            &run_id,
            &pack,
        )?))
    })
}

#[napi(js_name = "contextLoadPack")]
pub fn context_load_pack(
    project_root: String,
    run_id: String,
    work_item_id: String,
) -> napi::Result<Option<String>, String> {
    guard("loadPack", || {
        Ok(
            store::load_pack(Path::new(&project_root), &run_id, &work_item_id)?
                .map(|v| jsjson::to_line(&v)),
        )
    })
}

/// `markStale`; `reason` is JSON text, `undefined` for JS `undefined`.
#[napi(js_name = "contextMarkStale")]
pub fn context_mark_stale(
    project_root: String,
    run_id: String,
    work_item_id: String,
    reason: Option<String>,
) -> napi::Result<(), String> {
    guard("markStale", || {
        let reason = reason.map(|r| parse_wire("reason", &r)).transpose()?;
        store::mark_stale(Path::new(&project_root), &run_id, &work_item_id, reason)
    })
}

/// `isStale`: the JSON text of the entry's `stale` value.
#[napi(js_name = "contextIsStale")]
pub fn context_is_stale(
    project_root: String,
    run_id: String,
    work_item_id: String,
) -> napi::Result<String, String> {
    guard("isStale", || {
        Ok(jsjson::to_line(&store::is_stale(
            Path::new(&project_root),
            &run_id,
            &work_item_id,
        )?))
    })
}

#[napi(js_name = "contextListPackMeta")]
pub fn context_list_pack_meta(
    project_root: String,
    run_id: String,
) -> napi::Result<String, String> {
    guard("listPackMeta", || {
        Ok(jsjson::to_line(&Value::Array(store::list_pack_meta(
            Path::new(&project_root),
            &run_id,
        )?)))
    })
}

fn scored_ids(v: &Value) -> Vec<store::ScoredId> {
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|a| {
            (
                a.get("i").cloned().unwrap_or(Value::Null),
                a.get("s").cloned(),
            )
        })
        .collect()
}

/// `diffPacks`: `wire` is `{b: [{i, s}…], a: [{i, s}…]}` (ids and scores
/// of the artifacts before and after).
#[napi(js_name = "contextDiffPacks")]
pub fn context_diff_packs(wire: String) -> napi::Result<String, String> {
    guard("diffPacks", || {
        let w = parse_wire("packs", &wire)?;
        Ok(jsjson::to_line(&store::diff_packs(
            &scored_ids(&w["b"]),
            &scored_ids(&w["a"]),
        )))
    })
}

/// `linkPackToAttempt`: `wire` is `{work_item_id, ids}`; `quality` is JSON
/// text (`undefined` for JS `undefined`). Answers the ref's JSON text.
#[napi(js_name = "contextLinkPack")]
pub fn context_link_pack(
    project_root: String,
    run_id: String,
    attempt_id: String,
    wire: String,
    quality: Option<String>,
) -> napi::Result<String, String> {
    guard("linkPackToAttempt", || {
        let w = parse_wire("pack", &wire)?;
        let quality = quality.map(|q| parse_wire("quality", &q)).transpose()?;
        let ids = w["ids"].as_array().cloned().unwrap_or_default();
        Ok(jsjson::to_line(&store::link_pack_to_attempt(
            Path::new(&project_root),
            &run_id,
            &attempt_id,
            w.get("work_item_id"),
            ids,
            quality,
        )?))
    })
}

#[napi(js_name = "contextGetPackRef")]
pub fn context_get_pack_ref(
    project_root: String,
    run_id: String,
    attempt_id: String,
) -> napi::Result<Option<String>, String> {
    guard("getPackRefForAttempt", || {
        Ok(
            store::get_pack_ref_for_attempt(Path::new(&project_root), &run_id, &attempt_id)?
                .map(|v| jsjson::to_line(&v)),
        )
    })
}
