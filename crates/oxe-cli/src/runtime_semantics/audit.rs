//! The wrapper audit: front-matter metadata and block against the registry.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::block::{CHECKSUM_LABEL, PACK_FIRST_LABEL};
use super::frontmatter::{
    parse_frontmatter_map, slug_from_command_filename, slug_from_prompt_filename,
};
use super::{context_pack_paths, Semantics, BLOCK_START, RUNTIME_METADATA_KEYS};

fn issue(key: &str, expected: &str, actual: &str) -> Value {
    json!({"key": key, "expected": expected, "actual": actual})
}

fn s(m: &Map<String, Value>, k: &str) -> String {
    m.get(k)
        .filter(|v| oxe_runtime::jsjson::truthy(v))
        .map(oxe_runtime::jsjson::js_string)
        .unwrap_or_default()
}

/// `auditWrapperText(slug, raw)` → `{slug, frontmatter, expected, issues, ok}`.
pub fn audit_wrapper_text(sem: &Semantics, slug: &str, raw: &str) -> Value {
    let fm = parse_frontmatter_map(raw);
    let expected = sem.runtime_metadata(slug, "standard");
    let pack = context_pack_paths(slug);
    let (md, js) = (
        pack["markdown"].as_str().unwrap_or_default(),
        pack["json"].as_str().unwrap_or_default(),
    );
    let mut issues = Vec::new();
    for key in RUNTIME_METADATA_KEYS {
        let (want, got) = (s(&expected, key), s(&fm, key));
        if want != got {
            issues.push(issue(key, &want, &got));
        }
    }
    if !raw.contains(BLOCK_START) {
        issues.push(issue("oxe-reasoning-contract", "present", "missing"));
    }
    let hash = s(&expected, "oxe_semantics_hash");
    if !raw.contains(&format!("{CHECKSUM_LABEL} `{hash}`")) {
        issues.push(issue("oxe_semantics_hash_block", &hash, "mismatch"));
    }
    if !raw.contains(md) || !raw.contains(js) {
        issues.push(issue(
            "oxe_context_pack_entry",
            &format!("{md} + {js}"),
            "missing",
        ));
    }
    if !raw.contains(PACK_FIRST_LABEL) {
        issues.push(issue("oxe_pack_first_rule", "present", "missing"));
    }
    let ok = issues.is_empty();
    json!({
        "slug": slug,
        "frontmatter": fm,
        "expected": expected,
        "issues": issues,
        "ok": ok,
    })
}

struct Target {
    name: &'static str,
    rel: [&'static str; 2],
    filter: fn(&str) -> bool,
    slug: fn(&str) -> String,
}

const TARGETS: [Target; 3] = [
    Target {
        name: "copilot-prompts",
        rel: [".github", "prompts"],
        filter: |n| (n == "oxe.prompt.md" || n.starts_with("oxe-")) && n.ends_with(".prompt.md"),
        slug: slug_from_prompt_filename,
    },
    Target {
        name: "commands",
        rel: ["commands", "oxe"],
        filter: |n| n.ends_with(".md"),
        slug: slug_from_command_filename,
    },
    Target {
        name: "cursor",
        rel: [".cursor", "commands"],
        filter: |n| (n == "oxe.md" || n.starts_with("oxe-")) && n.ends_with(".md"),
        slug: slug_from_command_filename,
    },
];

fn path_str(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// `auditRuntimeTargets(root)`: audits `.github/prompts`, `commands/oxe`
/// and `.cursor/commands` under `root`.
pub fn audit_runtime_targets(sem: &Semantics, root: &Path) -> Value {
    let registry_issues = sem.validate_registry(None);
    let mut ok = true;
    let mut warnings: Vec<Value> = Vec::new();
    let mut mismatches: Vec<Value> = Vec::new();
    let mut targets = Map::new();
    for t in &TARGETS {
        let dir = root.join(t.rel[0]).join(t.rel[1]);
        let mut files = Vec::new();
        let mut checked = 0u32;
        let mut missing = false;
        if !dir.exists() {
            missing = true;
        } else {
            match std::fs::read_dir(&dir) {
                Err(e) => {
                    missing = true;
                    warnings.push(json!(format!(
                        "{}: could not list the folder — {e}",
                        t.name
                    )));
                }
                Ok(rd) => {
                    let mut names: Vec<String> = rd
                        .filter_map(Result::ok)
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    names.sort();
                    for name in names.iter().filter(|n| (t.filter)(n)) {
                        let file = dir.join(name);
                        let raw = match std::fs::read(&file) {
                            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                            Err(e) => {
                                warnings.push(json!(format!(
                                    "{}/{name}: could not read the file — {e}",
                                    t.name
                                )));
                                continue;
                            }
                        };
                        let audit = audit_wrapper_text(sem, &(t.slug)(name), &raw);
                        checked += 1;
                        let fok = audit["ok"] == json!(true);
                        files.push(json!({
                            "file": path_str(&file), "slug": audit["slug"], "ok": fok, "issues": audit["issues"],
                        }));
                        if !fok {
                            ok = false;
                            mismatches.push(json!({
                                "target": t.name, "file": path_str(&file), "slug": audit["slug"], "issues": audit["issues"],
                            }));
                        }
                    }
                }
            }
        }
        targets.insert(
            t.name.into(),
            json!({"path": path_str(&dir), "files": files, "checked": checked, "missing": missing}),
        );
    }
    if !registry_issues.is_empty() {
        ok = false;
        warnings.extend(registry_issues.iter().map(|i| json!(i)));
    }
    if !mismatches.is_empty() {
        warnings.push(json!(format!(
            "{} wrapper(s) with semantic drift detected",
            mismatches.len()
        )));
    }
    json!({
        "ok": ok,
        "contractVersion": sem.contract_version(),
        "registryPath": path_str(sem.contracts_path()),
        "registryIssues": registry_issues,
        "warnings": warnings,
        "mismatches": mismatches,
        "targets": targets,
    })
}
