//! Contract normalisation, context tiers, the stable JSON and the hash.

use oxe_runtime::jsjson::{is_js_space, js_string, to_line, truthy};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{Semantics, REQUIRED_CONTRACT_FIELDS};

/// JSON with object keys sorted (UTF-16 order, as JS `sort()`), arrays in
/// order, leaves as `JSON.stringify` renders them. The input of the hash.
pub fn stable_json(v: &Value) -> String {
    let mut out = String::new();
    write_stable(&mut out, v);
    out
}

fn write_stable(out: &mut String, v: &Value) {
    match v {
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_stable(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&to_line(&Value::String((*k).clone())));
                out.push(':');
                write_stable(out, &m[k.as_str()]);
            }
            out.push('}');
        }
        leaf => out.push_str(&to_line(leaf)),
    }
}

/// The first 16 hex characters of sha256(`text`).
pub fn hash16(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(16);
    for b in digest.iter().take(8) {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_space)
}

/// Trimmed, non-empty strings of `items` (falsy items dropped), first
/// occurrence kept. A value that is not an array gives nothing.
pub fn unique_strings(items: Option<&Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items.and_then(Value::as_array).into_iter().flatten() {
        let s = if truthy(item) {
            js_trim(&js_string(item)).to_string()
        } else {
            String::new()
        };
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().cloned().map(Value::String).collect())
}

fn is_summary(alias: &str) -> bool {
    ["phase_summary", "project_summary", "session_summary"]
        .iter()
        .any(|s| alias.ends_with(s))
}

/// `buildContextTiers(required, optional)`: `minimal` = required + up to
/// two summary aliases; `standard` = minimal + the next four other optional
/// aliases; `full` = required + every optional alias.
pub fn build_context_tiers(required: &Value, optional: &Value) -> Value {
    let required = unique_strings(Some(required));
    let optional = unique_strings(Some(optional));
    let minimal_tail: Vec<String> = optional
        .iter()
        .filter(|a| is_summary(a))
        .take(2)
        .cloned()
        .collect();
    let standard_tail: Vec<String> = optional
        .iter()
        .filter(|a| !minimal_tail.contains(a))
        .take(4)
        .cloned()
        .collect();
    let join = |parts: &[&Vec<String>]| {
        let all: Vec<Value> = parts
            .iter()
            .flat_map(|p| p.iter().cloned().map(Value::String))
            .collect();
        strings(&unique_strings(Some(&Value::Array(all))))
    };
    json!({
        "minimal": join(&[&required, &minimal_tail]),
        "standard": join(&[&required, &minimal_tail, &standard_tail]),
        "full": join(&[&required, &optional]),
    })
}

/// `a || b || c` over optional JSON values.
fn first_truthy<'a>(values: &[Option<&'a Value>]) -> Option<&'a Value> {
    values.iter().flatten().copied().find(|v| truthy(v))
}

fn text_or(values: &[Option<&Value>], default: &str) -> Value {
    Value::String(first_truthy(values).map_or_else(|| default.to_string(), js_string))
}

fn array_copy(v: Option<&Value>) -> Value {
    match v {
        Some(Value::Array(a)) => Value::Array(a.clone()),
        _ => Value::Array(Vec::new()),
    }
}

/// `getWorkflowContract(slug)` of the loaded registry.
pub fn normalise(sem: &Semantics, slug: &str) -> Option<Value> {
    let wf = sem
        .registry
        .get("workflows")
        .and_then(Value::as_object)
        .and_then(|w| w.get(slug))
        .filter(|v| truthy(v))?;
    let field = |k: &str| wf.get(k);
    let mode = text_or(&[field("reasoning_mode")], "status");
    let mode_s = js_string(&mode);
    let defaults_all = sem.registry.get("mode_defaults");
    let md = defaults_all
        .and_then(|d| d.get(&mode_s))
        .filter(|v| truthy(v))
        .or_else(|| {
            defaults_all
                .and_then(|d| d.get("status"))
                .filter(|v| truthy(v))
        });
    let dflt = |k: &str| md.and_then(|m| m.get(k));
    let required = unique_strings(field("required_artifacts"));
    let optional = unique_strings(field("optional_artifacts"));
    let tiers = match field("context_tiers").filter(|v| truthy(v)) {
        Some(t) => t.clone(),
        None => build_context_tiers(&strings(&required), &strings(&optional)),
    };
    let mut c = Map::new();
    let mut put = |k: &str, v: Value| {
        c.insert(k.to_string(), v);
    };
    put("workflow_slug", Value::String(slug.to_string()));
    put("contract_version", Value::String(sem.version.clone()));
    put("reasoning_mode", mode);
    for (k, d) in [
        ("question_policy", "none"),
        ("output_contract", "routing"),
        ("tool_profile", "read_heavy"),
        ("confidence_policy", "explicit"),
    ] {
        put(k, text_or(&[field(k), dflt(k)], d));
    }
    put("required_artifacts", strings(&required));
    put("optional_artifacts", strings(&optional));
    put("context_tiers", tiers);
    put(
        "freshness_policy",
        first_truthy(&[field("freshness_policy"), dflt("freshness_policy")])
            .cloned()
            .unwrap_or_else(|| Value::Object(Map::new())),
    );
    put(
        "fallback_policy",
        text_or(
            &[field("fallback_policy"), dflt("fallback_policy")],
            "read_direct_with_warning",
        ),
    );
    for k in ["blocking_conditions", "output_sections"] {
        put(
            k,
            strings(&unique_strings(first_truthy(&[field(k), dflt(k)]))),
        );
    }
    put(
        "extraction_intent",
        text_or(&[field("extraction_intent")], "status_read"),
    );
    put(
        "runtime_default_commands",
        array_copy(field("runtime_default_commands")),
    );
    put(
        "runtime_primary_artifacts",
        array_copy(field("runtime_primary_artifacts")),
    );
    put(
        "runtime_fallback_note",
        text_or(&[field("runtime_fallback_note")], ""),
    );
    put("auditor_artifacts", array_copy(field("auditor_artifacts")));
    put("auditor_excluded", array_copy(field("auditor_excluded")));
    put(
        "reference",
        sem.registry
            .get("mode_references")
            .and_then(|r| r.get(&mode_s))
            .filter(|v| truthy(v))
            .cloned()
            .unwrap_or(Value::Null),
    );
    put(
        "guidance",
        array_copy(
            sem.registry
                .get("mode_guidance")
                .and_then(|g| g.get(&mode_s)),
        ),
    );
    Some(Value::Object(c))
}

/// `validateWorkflowContractsRegistry(registry)`.
pub fn validate(sem: &Semantics, registry: &Value) -> Vec<String> {
    const FILE: &str = "workflow-runtime-contracts.json";
    let Some(reg) = registry.as_object() else {
        return vec![format!("{FILE} must be a JSON object")];
    };
    let mut issues = Vec::new();
    if !matches!(reg.get("contract_version"), Some(Value::String(s)) if !s.is_empty()) {
        issues.push(format!("{FILE}: contract_version is missing or invalid"));
    }
    let Some(workflows) = reg.get("workflows").and_then(Value::as_object) else {
        issues.push(format!("{FILE}: workflows is missing or invalid"));
        return issues;
    };
    for slug in workflows.keys() {
        let Some(contract) = normalise(sem, slug) else {
            issues.push(format!("{FILE}: workflow \"{slug}\" is invalid"));
            continue;
        };
        for field in REQUIRED_CONTRACT_FIELDS {
            if !matches!(contract.get(field), Some(v) if !v.is_null()) {
                issues.push(format!("{FILE}: {slug} has no \"{field}\""));
            }
        }
        for tier in ["minimal", "standard", "full"] {
            if !contract["context_tiers"]
                .get(tier)
                .is_some_and(Value::is_array)
            {
                issues.push(format!(
                    "{FILE}: {slug} context_tiers.{tier} must be an array"
                ));
            }
        }
    }
    issues
}
