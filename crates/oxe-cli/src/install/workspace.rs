//! The manifests an install leaves in the project:
//! `.oxe/install/copilot-vscode.json` and
//! `.oxe/install/runtime-semantics.json` (1.4.0's keys, 2-space JSON and a
//! final LF).

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::manifest::{collect_files_recursive, sha256_file};
use crate::runtime_semantics::Semantics;

pub fn copilot_manifest_path(project: &Path) -> PathBuf {
    project
        .join(".oxe")
        .join("install")
        .join("copilot-vscode.json")
}

pub fn semantics_manifest_path(project: &Path) -> PathBuf {
    project
        .join(".oxe")
        .join("install")
        .join("runtime-semantics.json")
}

fn rel(project: &Path, p: &Path) -> String {
    let r = p.strip_prefix(project).unwrap_or(p);
    r.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `^oxe-.*\.prompt\.md$`, case-insensitive.
fn is_oxe_prompt(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    l.starts_with("oxe-") && l.ends_with(".prompt.md") && l.len() >= "oxe-.prompt.md".len()
}

/// The text of `copilot-vscode.json`.
pub fn copilot_manifest(project: &Path, version: &str, layout: &str) -> String {
    let prompts = project.join(".github").join("prompts");
    let inst = project.join(".github").join("copilot-instructions.md");
    let mut names: Vec<String> = std::fs::read_dir(&prompts)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| is_oxe_prompt(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let inst_rel = rel(project, &inst);
    let mut hashes = Map::new();
    if let Ok(h) = sha256_file(&inst) {
        hashes.insert(inst_rel.clone(), Value::String(h));
    }
    for n in &names {
        if let Ok(h) = sha256_file(&prompts.join(n)) {
            hashes.insert(format!(".github/prompts/{n}"), Value::String(h));
        }
    }
    let v = json!({
        "schema_version": 1,
        "target": "copilot-vscode",
        "synced_at": oxe_runtime::clock::now_iso(),
        "oxe_version": version,
        "layout": layout,
        "instructions_path": inst_rel,
        "prompt_files": names,
        "hashes": Value::Object(hashes),
    });
    format!("{}\n", oxe_runtime::jsjson::to_pretty(&v))
}

/// Which runtimes an install selected.
#[derive(Debug, Clone, Copy, Default)]
pub struct Runtimes {
    pub cursor: bool,
    pub copilot_vscode: bool,
    pub copilot_cli: bool,
    pub opencode: bool,
    pub gemini: bool,
    pub codex: bool,
    pub windsurf: bool,
    pub antigravity: bool,
}

/// A wrapper folder: manifest key, folder, file-name filter.
type WrapperSet = (&'static str, PathBuf, fn(&str) -> bool);

fn wrappers(project: &Path) -> Map<String, Value> {
    let mut out = Map::new();
    let sets: [WrapperSet; 3] = [
        ("commands", project.join("commands").join("oxe"), |n| {
            n.ends_with(".md")
        }),
        (
            "copilot_prompts",
            project.join(".github").join("prompts"),
            |n| (n == "oxe.prompt.md" || n.starts_with("oxe-")) && n.ends_with(".prompt.md"),
        ),
        (
            "cursor_commands",
            project.join(".cursor").join("commands"),
            |n| (n == "oxe.md" || n.starts_with("oxe-")) && n.ends_with(".md"),
        ),
    ];
    for (key, root, filter) in sets {
        if !root.exists() {
            continue;
        }
        let mut f = filter;
        let mut files: Vec<(String, String)> = collect_files_recursive(&root, &mut f)
            .into_iter()
            .filter_map(|p| sha256_file(&p).ok().map(|h| (rel(project, &p), h)))
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        out.insert(
            key.into(),
            json!({
                "path": rel(project, &root),
                "files": files.into_iter().map(|(p, h)| json!({"path": p, "hash": h})).collect::<Vec<_>>(),
            }),
        );
    }
    out
}

/// The text of `runtime-semantics.json`.
pub fn semantics_manifest(
    project: &Path,
    pkg: &Path,
    version: &str,
    layout: &str,
    r: Runtimes,
) -> String {
    let sem = Semantics::load(pkg);
    let audit = sem.audit_runtime_targets(project);
    let mismatches: Vec<Value> = audit
        .get("mismatches")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|m| {
                    let file = m.get("file").and_then(Value::as_str).unwrap_or("");
                    json!({
                        "target": m.get("target").cloned().unwrap_or(Value::Null),
                        "slug": m.get("slug").cloned().unwrap_or(Value::Null),
                        "file": rel(project, Path::new(file)),
                        "issues": m.get("issues").cloned().unwrap_or_else(|| json!([])),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let v = json!({
        "schema_version": 1,
        "target": "runtime-semantics",
        "synced_at": oxe_runtime::clock::now_iso(),
        "oxe_version": version,
        "contract_version": sem.contract_version(),
        "layout": layout,
        "installed_runtimes": {
            "cursor": r.cursor,
            "copilot_vscode": r.copilot_vscode,
            "copilot_cli": r.copilot_cli,
            "opencode": r.opencode,
            "gemini": r.gemini,
            "codex": r.codex,
            "windsurf": r.windsurf,
            "antigravity": r.antigravity,
        },
        "semantics_hashes": Value::Object(sem.semantics_hashes()),
        "wrappers": Value::Object(wrappers(project)),
        "audit": {
            "ok": audit.get("ok").cloned().unwrap_or(Value::Bool(true)),
            "warnings": audit.get("warnings").cloned().unwrap_or_else(|| json!([])),
            "mismatches": mismatches,
        },
    });
    format!("{}\n", oxe_runtime::jsjson::to_pretty(&v))
}
