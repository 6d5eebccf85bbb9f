//! Context packs: per workflow, the artifacts its contract selects (by
//! tier, or the auditor set), their gaps and conflicts, quality and
//! freshness, written to `.oxe/context/packs/<workflow>.{json,md}`.

use std::path::Path;

use oxe_runtime::jsjson::{js_string, truthy};
use oxe_runtime::store::{write_atomic, StoreError};
use serde_json::{json, Map, Value};

use super::index::{build_index, read_lossy, resolve_session, write_json_nl, SessionArg};
use super::{
    compute_context_quality, compute_pack_freshness, context_paths, extract_semantic_fragment,
    DEFAULT_PRESERVE_MARKERS,
};
use crate::runtime_semantics::Semantics;

/// Why a pack could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// No workflow was named.
    #[error("a workflow is required for {0}")]
    NoWorkflow(&'static str),
    /// The workflow has no contract in the registry.
    #[error("Workflow without a canonical contract: {0}")]
    NoContract(String),
    /// The pack (or the index) could not be written.
    #[error("buildContextPack ({workflow}): could not persist the pack — {source}")]
    Write {
        workflow: String,
        #[source]
        source: StoreError,
    },
}

/// What to build.
#[derive(Debug, Clone)]
pub struct PackInput<'a> {
    pub workflow: &'a str,
    /// `minimal`, `standard` or `full` (anything else is `standard`).
    pub tier: &'a str,
    /// `standard` or `auditor`.
    pub mode: &'a str,
    pub session: SessionArg<'a>,
    pub write: bool,
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(js_string).collect())
        .unwrap_or_default()
}

fn selected_aliases(contract: &Value, tier: &str, mode: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let auditor = strings(&contract["auditor_artifacts"]);
    let picked: Vec<String> = if mode == "auditor" && !auditor.is_empty() {
        let excluded = strings(&contract["auditor_excluded"]);
        auditor
            .into_iter()
            .filter(|a| !excluded.contains(a))
            .collect()
    } else {
        let tiers = &contract["context_tiers"];
        let list = tiers
            .get(tier)
            .filter(|v| truthy(v))
            .or_else(|| tiers.get("standard"))
            .map(strings)
            .unwrap_or_default();
        std::iter::once("state".to_string()).chain(list).collect()
    };
    for a in picked {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    out
}

/// The Markdown view of a pack.
pub fn render_markdown(pack: &Value) -> String {
    let lines = |items: Vec<String>, none: &str| {
        if items.is_empty() {
            format!("- {none}")
        } else {
            items.join("\n")
        }
    };
    let arr = |k: &str| pack[k].as_array().cloned().unwrap_or_default();
    let selected = arr("selected_artifacts")
        .iter()
        .map(|a| {
            format!(
                "- **{}** ({}) -> {}{}",
                js_string(&a["alias"]),
                js_string(&a["scope"]),
                if truthy(&a["exists"]) {
                    js_string(&a["path"])
                } else {
                    "missing".into()
                },
                if truthy(&a["using_fallback"]) {
                    " [fallback]"
                } else {
                    ""
                }
            )
        })
        .collect();
    let gaps = arr("gaps")
        .iter()
        .map(|g| {
            format!(
                "- [{}] {}: {}",
                js_string(&g["severity"]),
                js_string(&g["alias"]),
                js_string(&g["reason"])
            )
        })
        .collect();
    let conflicts = arr("conflicts")
        .iter()
        .map(|c| format!("- {}: {}", js_string(&c["alias"]), js_string(&c["reason"])))
        .collect();
    let read_order = arr("read_order")
        .iter()
        .map(|a| format!("- {}", js_string(a)))
        .collect();
    let sections = strings(&pack["contract"]["output_sections"]).join(" · ");
    let session = pack["active_session"]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or("legacy mode");
    format!(
        "# OXE Context Pack — {}\n\n- **Generated at:** {}\n- **Active session:** {}\n- **Tier:** {}\n- **Semantics hash:** `{}`\n- **Quality score:** {}\n- **Fallback required:** {}\n\n## Read Order\n\n{}\n\n## Selected Artifacts\n\n{}\n\n## Gaps\n\n{}\n\n## Conflicts\n\n{}\n\n## Output Contract\n\n{}\n",
        js_string(&pack["workflow"]),
        js_string(&pack["generated_at"]),
        session,
        js_string(&pack["context_tier"]),
        js_string(&pack["semantics_hash"]),
        js_string(&pack["context_quality"]["score"]),
        if truthy(&pack["fallback_required"]) { "yes" } else { "no" },
        lines(read_order, "No read order resolved"),
        lines(selected, "No artifact selected"),
        lines(gaps, "No gaps"),
        lines(conflicts, "No conflicts"),
        if sections.is_empty() { "—".to_string() } else { sections },
    )
}

/// `buildContextPack(projectRoot, {workflow, tier, mode, activeSession, write})`.
pub fn build_pack(
    sem: &Semantics,
    root: &Path,
    input: &PackInput,
    now_ms: f64,
) -> Result<Value, PackError> {
    let workflow = crate::jstext::trim(input.workflow).to_string();
    if workflow.is_empty() {
        return Err(PackError::NoWorkflow("buildContextPack"));
    }
    let contract = sem
        .workflow_contract(&workflow)
        .ok_or_else(|| PackError::NoContract(workflow.clone()))?;
    let session = resolve_session(root, input.session);
    let tier = if matches!(input.tier, "minimal" | "standard" | "full") {
        input.tier
    } else {
        "standard"
    };
    let mode = if input.mode.is_empty() {
        "standard"
    } else {
        input.mode
    };
    let werr = |source| PackError::Write {
        workflow: workflow.clone(),
        source,
    };
    let index = build_index(root, Some(session.as_deref()), input.write, now_ms).map_err(werr)?;
    // the pack is dated after the summaries it may select were written
    let now_ms = now_ms.max(oxe_runtime::clock::now_ms() as f64);
    let records = index["artifacts"].as_array().cloned().unwrap_or_default();
    let required = strings(&contract["required_artifacts"]);
    let intent = contract["extraction_intent"]
        .as_str()
        .unwrap_or("status_read")
        .to_string();
    let markers: Vec<String> = DEFAULT_PRESERVE_MARKERS
        .iter()
        .map(|m| m.to_string())
        .collect();
    let selected: Vec<Value> = selected_aliases(&contract, tier, mode)
        .into_iter()
        .map(|alias| {
            let req = required.contains(&alias);
            let because = if req {
                "required_artifact"
            } else {
                "context_tier"
            };
            match records.iter().find(|r| r["alias"] == json!(alias)) {
                Some(Value::Object(r)) => {
                    let raw = if truthy(&r["exists"]) {
                        r["path"]
                            .as_str()
                            .map(Path::new)
                            .and_then(read_lossy)
                            .unwrap_or_default()
                    } else {
                        String::new()
                    };
                    let semantic = if raw.is_empty() {
                        String::new()
                    } else {
                        extract_semantic_fragment(&raw, &intent, 1200, &markers)
                    };
                    let mut m = r.clone();
                    m.insert("required".into(), json!(req));
                    m.insert("selected_because".into(), json!(because));
                    m.insert("semantic_summary".into(), json!(semantic));
                    Value::Object(m)
                }
                _ => json!({
                    "alias": alias, "path": null, "exists": false, "scope": "unknown",
                    "semantic_type": "unknown", "using_fallback": false, "required": req,
                    "selected_because": because, "updated_at": null, "age_hours": null,
                    "hash": null, "summary": "", "semantic_summary": "",
                }),
            }
        })
        .collect();
    let gaps: Vec<Value> = selected
        .iter()
        .filter(|a| !truthy(&a["exists"]))
        .map(|a| {
            let req = truthy(&a["required"]);
            json!({
                "alias": a["alias"],
                "severity": if req { "critical" } else { "warning" },
                "reason": if req { "required_artifact_missing" } else { "selected_artifact_missing" },
            })
        })
        .collect();
    let conflicts: Vec<Value> = selected
        .iter()
        .filter(|a| a.get("conflict").is_some_and(truthy))
        .map(|a| {
            json!({
                "alias": a["alias"], "reason": "session_and_root_artifacts_diverge",
                "primary_path": a["primary_path"], "fallback_path": a["fallback_path"],
            })
        })
        .collect();
    let fallback_required = gaps.iter().any(|g| g["severity"] == "critical")
        || selected.iter().any(|a| truthy(&a["using_fallback"]));
    let paths = context_paths(root, Some(session.as_deref()));
    let read_order: Vec<Value> = selected
        .iter()
        .filter(|a| truthy(&a["exists"]))
        .map(|a| a["alias"].clone())
        .collect();
    let hypotheses = selected
        .iter()
        .find(|a| a["alias"] == "plan" && truthy(&a["exists"]))
        .and_then(|a| a["path"].as_str().map(Path::new).and_then(read_lossy))
        .map(|t| {
            serde_json::to_value(crate::parsers::hypotheses::parse_hypotheses(&t))
                .unwrap_or(json!([]))
        })
        .unwrap_or(json!([]));
    let mut pack = Map::new();
    let mut put = |k: &str, v: Value| {
        pack.insert(k.into(), v);
    };
    put("schema_version", json!(1));
    put("workflow", json!(workflow));
    put("mode", json!(mode));
    put(
        "active_session",
        session.clone().map_or(Value::Null, Value::String),
    );
    put("context_tier", json!(tier));
    put("generated_at", json!(crate::jsdate::to_iso(now_ms)));
    put(
        "semantics_hash",
        sem.semantics_hash(&workflow)
            .map_or(Value::Null, Value::String),
    );
    put("contract", contract.clone());
    put("read_order", Value::Array(read_order));
    put("selected_artifacts", Value::Array(selected));
    put("gaps", Value::Array(gaps));
    put("conflicts", Value::Array(conflicts));
    put("fallback_required", json!(fallback_required));
    put(
        "summaries",
        json!({"project": paths["projectSummaryJson"], "session": paths["sessionSummaryJson"], "phase": paths["phaseSummaryJson"]}),
    );
    let mut pack = Value::Object(pack);
    let quality = compute_context_quality(&pack);
    pack["context_quality"] = quality;
    let fresh = compute_pack_freshness(&pack, &contract, now_ms);
    pack["freshness"] = fresh;
    pack["hypotheses"] = hypotheses;
    let md = render_markdown(&pack);
    pack["markdown"] = json!(md);
    if input.write {
        let packs = Path::new(paths["packsDir"].as_str().unwrap_or_default()).to_path_buf();
        write_json_nl(&packs.join(format!("{workflow}.json")), &pack).map_err(werr)?;
        write_atomic(&packs.join(format!("{workflow}.md")), md.as_bytes()).map_err(werr)?;
        if let Some(prefix) = paths["sessionPackPrefix"].as_str() {
            write_json_nl(Path::new(&format!("{prefix}{workflow}.json")), &pack).map_err(werr)?;
            write_atomic(Path::new(&format!("{prefix}{workflow}.md")), md.as_bytes())
                .map_err(werr)?;
        }
    }
    Ok(pack)
}

/// `inspectContextPack(projectRoot, {workflow, tier, activeSession})`: the
/// stored pack (session copy first) with its contract, freshness and
/// quality refreshed, else a pack built without writing. Sets `path`.
pub fn inspect_pack(
    sem: &Semantics,
    root: &Path,
    workflow: &str,
    tier: &str,
    session: SessionArg,
    now_ms: f64,
) -> Result<Value, PackError> {
    let workflow = crate::jstext::trim(workflow).to_string();
    if workflow.is_empty() {
        return Err(PackError::NoWorkflow("inspectContextPack"));
    }
    let resolved = resolve_session(root, session);
    let file = super::resolve_pack_file(root, &workflow, Some(resolved.as_deref()));
    let stored = std::fs::read_to_string(&file)
        .ok()
        .and_then(|t| oxe_runtime::jsjson::parse(&t).ok())
        .filter(truthy);
    let mut pack = match stored {
        Some(mut p) if p.is_object() => {
            let contract = sem.workflow_contract(&workflow).unwrap_or(Value::Null);
            p["contract"] = contract.clone();
            let fresh = compute_pack_freshness(&p, &contract, now_ms);
            p["freshness"] = fresh;
            let q = compute_context_quality(&p);
            p["context_quality"] = q;
            p
        }
        _ => build_pack(
            sem,
            root,
            &PackInput {
                workflow: &workflow,
                tier,
                mode: "standard",
                session: Some(resolved.as_deref()),
                write: false,
            },
            now_ms,
        )?,
    };
    pack["path"] = json!(file);
    Ok(pack)
}

/// `buildAllContextPacks(projectRoot, {workflow, tier, activeSession, write})`:
/// one pack per contract, in slug order (or only `workflow`).
pub fn build_all(
    sem: &Semantics,
    root: &Path,
    workflow: Option<&str>,
    tier: &str,
    session: SessionArg,
    write: bool,
    now_ms: f64,
) -> Result<Vec<Value>, PackError> {
    let slugs: Vec<String> = match workflow.filter(|w| !w.is_empty()) {
        Some(w) => vec![w.to_string()],
        None => sem
            .all_workflow_contracts()
            .iter()
            .filter_map(|c| c["workflow_slug"].as_str().map(str::to_string))
            .collect(),
    };
    slugs
        .iter()
        .map(|w| {
            build_pack(
                sem,
                root,
                &PackInput {
                    workflow: w,
                    tier,
                    mode: "standard",
                    session,
                    write,
                },
                now_ms,
            )
        })
        .collect()
}
