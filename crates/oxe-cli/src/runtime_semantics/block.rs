//! The nine metadata lines and the reasoning-contract block of a wrapper.

use oxe_runtime::jsjson::{js_string, truthy};
use serde_json::{Map, Value};

use super::RUNTIME_METADATA_KEYS;
use super::{context_pack_paths, contract::hash16, Semantics, BLOCK_END, BLOCK_START};

/// The label the block shows for a policy value: underscores become
/// spaces (`read_heavy` → `read heavy`).
pub fn humanize(value: &str) -> String {
    value.replace('_', " ")
}

/// `getRuntimeMetadataForSlug(slug, {tier})`. A slug without a contract
/// gets the `status` mode defaults and `sha256("fallback:<slug>")[:16]`.
pub fn runtime_metadata(sem: &Semantics, slug: &str, tier: &str) -> Map<String, Value> {
    let s = |v: &str| Value::String(v.to_string());
    let mut m = Map::new();
    m.insert("oxe_workflow_slug".into(), s(slug));
    match sem.workflow_contract(slug) {
        Some(c) => {
            for (key, field) in [
                ("oxe_reasoning_mode", "reasoning_mode"),
                ("oxe_question_policy", "question_policy"),
                ("oxe_output_contract", "output_contract"),
                ("oxe_tool_profile", "tool_profile"),
                ("oxe_confidence_policy", "confidence_policy"),
            ] {
                m.insert(key.into(), c[field].clone());
            }
            m.insert("oxe_context_tier".into(), s(tier));
            m.insert("oxe_contract_version".into(), s(sem.contract_version()));
            m.insert(
                "oxe_semantics_hash".into(),
                sem.semantics_hash(slug).map_or(Value::Null, Value::String),
            );
        }
        None => {
            if let Some(Value::Object(d)) = sem.mode_defaults().get("status") {
                for (k, v) in d {
                    m.insert(k.clone(), v.clone());
                }
            }
            m.insert("oxe_context_tier".into(), s(tier));
            m.insert("oxe_contract_version".into(), s(sem.contract_version()));
            m.insert(
                "oxe_semantics_hash".into(),
                s(&hash16(&format!("fallback:{slug}"))),
            );
        }
    }
    m
}

fn text(meta: &Map<String, Value>, key: &str) -> Option<String> {
    meta.get(key).filter(|v| truthy(v)).map(js_string)
}

/// `renderRuntimeMetadataLines(meta)`: `key: value` for the nine keys, an
/// empty value when the key is missing or falsy.
pub fn render_metadata_lines(meta: &Map<String, Value>) -> Vec<String> {
    RUNTIME_METADATA_KEYS
        .iter()
        .map(|k| format!("{k}: {}", text(meta, k).unwrap_or_default()))
        .collect()
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().map(js_string).collect())
        .unwrap_or_default()
}

/// `buildReasoningContractBlock(meta, {includeReference, slug})`: the
/// English block between [`BLOCK_START`] and [`BLOCK_END`].
pub fn reasoning_contract_block(
    sem: &Semantics,
    meta: &Map<String, Value>,
    slug_option: Option<&str>,
    include_reference: bool,
) -> String {
    let slug = text(meta, "oxe_workflow_slug")
        .or_else(|| slug_option.filter(|s| !s.is_empty()).map(str::to_string))
        .unwrap_or_default();
    let contract = sem.workflow_contract(&slug);
    let field = |k: &str| contract.as_ref().and_then(|c| c.get(k));
    let mode = text(meta, "oxe_reasoning_mode")
        .or_else(|| field("reasoning_mode").filter(|v| truthy(v)).map(js_string))
        .unwrap_or_else(|| "status".into());
    let guidance = match field("guidance") {
        Some(g) => str_list(Some(g)),
        None => str_list(sem.mode_guidance().get(&mode)),
    };
    let label = |k: &str| humanize(&text(meta, k).unwrap_or_default());
    let hash = text(meta, "oxe_semantics_hash")
        .or_else(|| sem.semantics_hash(&slug))
        .unwrap_or_else(|| "—".into());
    let pack = context_pack_paths(&slug);
    let p = |k: &str| pack[k].as_str().unwrap_or_default().to_string();
    let mut lines: Vec<String> = vec![
        BLOCK_START.into(),
        String::new(),
        "**OXE reasoning contract of this command**".into(),
        format!(
            "- **Workflow:** {}",
            if slug.is_empty() { "—" } else { &slug }
        ),
        format!("- **Mode:** {}", label("oxe_reasoning_mode")),
        format!("- **Questions:** {}", label("oxe_question_policy")),
        format!("- **Expected output:** {}", label("oxe_output_contract")),
        format!("- **Tool profile:** {}", label("oxe_tool_profile")),
        format!("- **Confidence policy:** {}", label("oxe_confidence_policy")),
        format!(
            "- **Default context tier:** {}",
            humanize(&text(meta, "oxe_context_tier").unwrap_or_else(|| "standard".into()))
        ),
        format!(
            "- **Contract version:** {}",
            text(meta, "oxe_contract_version").unwrap_or_else(|| sem.contract_version().into())
        ),
        format!("- **Semantic checksum:** `{hash}`"),
        format!(
            "- **Context to read first:** `{}` and `{}`",
            p("markdown"),
            p("json")
        ),
        format!("- **{PACK_FIRST_LABEL}:** open the context pack before anything else; when it is stale, incomplete or missing, read the artifacts directly and say explicitly that you fell back."),
        format!("- **Structured inspection:** `{}`", p("inspectCommand")),
    ];
    lines.extend(guidance.iter().map(|g| format!("- {g}")));
    let sections = str_list(field("output_sections"));
    if !sections.is_empty() {
        lines.push(format!("- **Expected sections:** {}", sections.join(" · ")));
    }
    let blockers = str_list(field("blocking_conditions"));
    if !blockers.is_empty() {
        lines.push(format!("- **Formal blockers:** {}", blockers.join(" · ")));
    }
    let ticks = |v: Vec<String>| v.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>();
    let commands = str_list(field("runtime_default_commands"));
    if !commands.is_empty() {
        lines.push(format!(
            "- **Default runtime path:** {}",
            ticks(commands).join(" → ")
        ));
    }
    let primary = str_list(field("runtime_primary_artifacts"));
    if !primary.is_empty() {
        lines.push(format!(
            "- **Primary canonical artifacts:** {}",
            ticks(primary).join(" · ")
        ));
    }
    if let Some(note) = field("runtime_fallback_note").filter(|v| truthy(v)) {
        lines.push(format!("- **Runtime fallback:** {}", js_string(note)));
    }
    if include_reference {
        if let Some(r) = sem.mode_references().get(&mode).filter(|v| truthy(v)) {
            lines.push(format!("- **{REFERENCE_LABEL}:** `{}`", js_string(r)));
        }
    }
    lines.push(String::new());
    lines.push(BLOCK_END.into());
    lines.join("\n")
}

/// The label of the pack-first bullet (the audit looks for it).
pub const PACK_FIRST_LABEL: &str = "Pack-first rule";
/// The label of the reference bullet (left out without `includeReference`).
pub const REFERENCE_LABEL: &str = "Canonical reference";
/// What the checksum bullet holds before the backticked hash.
pub const CHECKSUM_LABEL: &str = "Semantic checksum:**";
