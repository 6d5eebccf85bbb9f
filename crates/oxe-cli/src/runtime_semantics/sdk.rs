//! The `runtimeSemantics` SDK namespace as one call: a member name and its
//! JSON arguments in, the JSON result out. `lib/sdk/runtime-semantics.js`
//! only marshals values.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::{
    block, build_context_tiers, context_pack_paths, parse_frontmatter_map, pick_runtime_metadata,
    slug_from_command_filename, slug_from_prompt_filename, split_frontmatter, Semantics,
    REQUIRED_CONTRACT_FIELDS, RUNTIME_METADATA_KEYS,
};

/// The namespace's constants: `CONTRACT_VERSION`, `CONTRACTS_PATH`,
/// `CONTRACTS_REGISTRY`, `MODE_DEFAULTS`, `MODE_GUIDANCE`,
/// `MODE_REFERENCES`, `REQUIRED_CONTRACT_FIELDS`, `RUNTIME_METADATA_KEYS`,
/// and `loadWarning` (the line 1.4.0 prints when the registry is unusable).
pub fn constants(sem: &Semantics) -> Value {
    json!({
        "CONTRACT_VERSION": sem.contract_version(),
        "CONTRACTS_PATH": sem.contracts_path().to_string_lossy(),
        "CONTRACTS_REGISTRY": sem.registry(),
        "MODE_DEFAULTS": sem.mode_defaults(),
        "MODE_GUIDANCE": sem.mode_guidance(),
        "MODE_REFERENCES": sem.mode_references(),
        "REQUIRED_CONTRACT_FIELDS": REQUIRED_CONTRACT_FIELDS,
        "RUNTIME_METADATA_KEYS": RUNTIME_METADATA_KEYS,
        "loadWarning": if sem.has_registry() {
            Value::Null
        } else {
            json!("[oxe] WARN: workflow-runtime-contracts.json is missing or invalid; using defaults.\n")
        },
    })
}

fn text(args: &[Value], i: usize) -> String {
    args.get(i)
        .map(oxe_runtime::jsjson::js_string)
        .unwrap_or_else(|| "undefined".into())
}

/// `String(x || '')`.
fn text_or_empty(args: &[Value], i: usize) -> String {
    args.get(i)
        .filter(|v| oxe_runtime::jsjson::truthy(v))
        .map(oxe_runtime::jsjson::js_string)
        .unwrap_or_default()
}

fn object(args: &[Value], i: usize) -> Map<String, Value> {
    args.get(i)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

fn opt(args: &[Value], i: usize, key: &str) -> Option<Value> {
    args.get(i).and_then(|o| o.get(key)).cloned()
}

/// Runs member `name` with `args` (the JS arguments as a JSON array;
/// `undefined` arguments are absent or `null` as the glue documents).
/// `None` for an unknown member.
pub fn call(sem: &Semantics, name: &str, args: &[Value]) -> Option<Value> {
    let v = match name {
        "validateWorkflowContractsRegistry" => {
            // the glue passes [] for "no argument" and [x] otherwise
            json!(sem.validate_registry(args.first()))
        }
        "getWorkflowContract" => sem.workflow_contract(&text(args, 0)).unwrap_or(Value::Null),
        "getAllWorkflowContracts" => Value::Array(sem.all_workflow_contracts()),
        "computeSemanticsHash" => sem
            .semantics_hash(&text(args, 0))
            .map_or(Value::Null, Value::String),
        "getRuntimeMetadataForSlug" => {
            let tier = opt(args, 1, "tier")
                .filter(oxe_runtime::jsjson::truthy)
                .map_or_else(|| "standard".into(), |v| oxe_runtime::jsjson::js_string(&v));
            Value::Object(sem.runtime_metadata(&text(args, 0), &tier))
        }
        "renderRuntimeMetadataLines" => json!(block::render_metadata_lines(&object(args, 0))),
        "buildReasoningContractBlock" => {
            let include = opt(args, 1, "includeReference") != Some(Value::Bool(false));
            let slug = opt(args, 1, "slug")
                .filter(oxe_runtime::jsjson::truthy)
                .map(|v| oxe_runtime::jsjson::js_string(&v));
            json!(block::reasoning_contract_block(
                sem,
                &object(args, 0),
                slug.as_deref(),
                include
            ))
        }
        "pickRuntimeMetadata" => Value::Object(pick_runtime_metadata(&object(args, 0))),
        "splitFrontmatter" => {
            let (frontmatter, body) = split_frontmatter(&text_or_empty(args, 0));
            json!({"frontmatter": frontmatter, "body": body})
        }
        "parseFrontmatterMap" => Value::Object(parse_frontmatter_map(&text_or_empty(args, 0))),
        "slugFromPromptFilename" => json!(slug_from_prompt_filename(&text(args, 0))),
        "slugFromCommandFilename" => json!(slug_from_command_filename(&text(args, 0))),
        "auditWrapperText" => sem.audit_wrapper_text(&text(args, 0), &text_or_empty(args, 1)),
        "auditRuntimeTargets" => sem.audit_runtime_targets(Path::new(&text(args, 0))),
        "buildContextPackPaths" => context_pack_paths(&text(args, 0)),
        "buildContextTiers" => build_context_tiers(
            args.first().unwrap_or(&Value::Null),
            args.get(1).unwrap_or(&Value::Null),
        ),
        _ => return None,
    };
    Some(v)
}
