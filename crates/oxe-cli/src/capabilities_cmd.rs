//! `oxe-cc capabilities [list|install <id>|remove <id>|update] [--dir p]`:
//! the project's local capability catalog under `.oxe/capabilities/`.
//!
//! Same actions, files and events as 1.4.0: `install` creates
//! `.oxe/capabilities/<id>/CAPABILITY.md` from the package template,
//! every change rewrites `.oxe/CAPABILITIES.md` and appends one event
//! (`capability_installed`, `capability_removed`,
//! `capability_index_refreshed`) to `.oxe/OXE-EVENTS.ndjson`.
//!
//! Fixed (docs/compat.md): 1.4.0's `remove` ran `rm -rf` on
//! `.oxe/capabilities/<id>` with the id unchecked, so `remove ..` deleted
//! the whole `.oxe/`. Here `remove` accepts only the ids `install`
//! accepts, and deletes only a real folder directly inside
//! `.oxe/capabilities/` (never through a symbolic link).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::flags::CapabilitiesOpts;
use crate::i18n::Lang;
use crate::output::{Ctx, CYAN, DIM, GREEN, RED, YELLOW};

#[derive(Clone, Copy)]
enum M {
    Project,
    NoneInstalled,
    IdRequired,
    InvalidId,
    Installed,
    Removed,
    NotInstalled,
    Refreshed,
    UnknownAction,
    WriteFailed,
    BootstrapFailed,
}

fn msg(lang: Lang, m: M) -> &'static str {
    match (lang, m) {
        (Lang::En, M::Project) => "Project:",
        (Lang::PtBr, M::Project) => "Projeto:",
        (Lang::En, M::NoneInstalled) => {
            "No capability installed yet. Add one with: oxe-cc capabilities install <id>"
        }
        (Lang::PtBr, M::NoneInstalled) => {
            "Nenhuma capability instalada ainda. Crie uma com: oxe-cc capabilities install <id>"
        }
        (Lang::En, M::IdRequired) => "A capability id is required: oxe-cc capabilities {0} <id>",
        (Lang::PtBr, M::IdRequired) => "Falta o id da capability: oxe-cc capabilities {0} <id>",
        (Lang::En, M::InvalidId) => {
            "Invalid capability id (use lowercase letters, digits and '-', starting with a letter or digit):"
        }
        (Lang::PtBr, M::InvalidId) => {
            "Id de capability inválido (use letras minúsculas, dígitos e '-', começando por letra ou dígito):"
        }
        (Lang::En, M::Installed) => "Capability installed:",
        (Lang::PtBr, M::Installed) => "Capability criada:",
        (Lang::En, M::Removed) => "Capability removed:",
        (Lang::PtBr, M::Removed) => "Capability excluída:",
        (Lang::En, M::NotInstalled) => "(it was not installed; the index was refreshed)",
        (Lang::PtBr, M::NotInstalled) => "(não estava instalada; o índice foi regenerado)",
        (Lang::En, M::Refreshed) => "Capability index rebuilt: .oxe/CAPABILITIES.md",
        (Lang::PtBr, M::Refreshed) => "Índice de capabilities regenerado: .oxe/CAPABILITIES.md",
        (Lang::En, M::UnknownAction) => "Unknown capabilities action (use list, install, remove or update):",
        (Lang::PtBr, M::UnknownAction) => {
            "Ação de capabilities desconhecida (use list, install, remove ou update):"
        }
        (Lang::En, M::WriteFailed) => "Could not write {0}: {1}",
        (Lang::PtBr, M::WriteFailed) => "Não foi possível gravar {0}: {1}",
        (Lang::En, M::BootstrapFailed) => "Could not prepare .oxe/ ({0}): {1}",
        (Lang::PtBr, M::BootstrapFailed) => "Não foi possível preparar .oxe/ ({0}): {1}",
    }
}

fn t(ctx: &Ctx, m: M, args: &[&str]) -> String {
    let mut s = msg(ctx.lang, m).to_string();
    for (i, a) in args.iter().enumerate() {
        s = s.replace(&format!("{{{i}}}"), a);
    }
    s
}

/// Our own CAPABILITY.md template, used when the package ships none.
const CAPABILITY_TEMPLATE: &str = "---
oxe_capability: true
id: sample-capability
version: 1
type: script
status: active
scope: execute
requires_env: []
entrypoint: \"\"
approval_policy: require_approval_if_external_side_effect
side_effects: []
evidence_outputs: []
session_compatibility: [legacy, session]
---

# OXE — Capability

## Objective

- What this capability does, in one line.

## OXE scope

- `scan` | `ask` | `research` | `spec` | `plan` | `execute` | `verify`

## Operations

- Operation 1

## Inputs and outputs

- Expected inputs
- Produced outputs

## Requirements

- Environment variables
- External dependencies
- Whether approval is needed or may be bypassed

## Evidence and safety

- How the capability produces useful evidence.
- Limits and risks.
- Possible side effects and how they are governed.
";

/// An id 1.4.0's `install` accepts: `^[a-z0-9][a-z0-9-]*$` after trim and
/// lower-casing. `None` when it does not match.
pub fn normalize_id(raw: &str) -> Option<String> {
    let id = crate::jstext::trim(raw).to_lowercase();
    let mut chars = id.chars();
    let first = chars.next()?;
    if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
        return None;
    }
    if chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        Some(id)
    } else {
        None
    }
}

/// Sorted names of the sub-folders of `.oxe/capabilities` holding a
/// `CAPABILITY.md`.
pub fn list_local(root: &Path) -> Vec<String> {
    let dir = root.join(".oxe").join("capabilities");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| e.path().join("CAPABILITY.md").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    ids.sort();
    ids
}

/// One row of the catalog (the fields of 1.4.0's `parseCapabilityManifest`
/// that the index shows).
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub scope: String,
    pub approval_policy: Option<String>,
    pub side_effects: Vec<String>,
    pub requires_env: Vec<String>,
    pub evidence_outputs: Vec<String>,
    pub description: String,
}

fn objective_line(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| {
        let l = l.trim();
        l.strip_prefix("##").is_some_and(|h| {
            let h = h.trim().to_lowercase();
            h == "objetivo" || h == "objective"
        })
    })?;
    for l in &lines[start + 1..] {
        let s = l.trim();
        if s.starts_with('#') {
            return None;
        }
        let s = s.strip_prefix("- ").map_or(s, str::trim);
        if !s.is_empty() {
            return Some(s.to_string());
        }
    }
    None
}

/// Parses a CAPABILITY.md the way the index needs it (defaults of 1.4.0:
/// type `local`, status `active`, scope `mixed`).
pub fn parse_manifest(text: &str) -> CatalogEntry {
    use oxe_runtime::plugins::capability_adapter::{parse_array_field, parse_frontmatter};
    let fm = parse_frontmatter(text);
    let get = |k: &str| {
        fm.get(k)
            .and_then(Value::as_str)
            .map(|s| crate::jstext::trim(s).to_string())
            .filter(|s| !s.is_empty())
    };
    let arr = |k: &str| parse_array_field(fm.get(k).and_then(Value::as_str));
    CatalogEntry {
        id: get("id").unwrap_or_default(),
        kind: get("type").unwrap_or_else(|| "local".into()),
        status: get("status").unwrap_or_else(|| "active".into()),
        scope: get("scope").unwrap_or_else(|| "mixed".into()),
        approval_policy: get("approval_policy").or_else(|| get("policy")),
        side_effects: arr("side_effects"),
        requires_env: arr("requires_env"),
        evidence_outputs: arr("evidence_outputs"),
        description: objective_line(text).unwrap_or_else(|| "Local project capability".into()),
    }
}

/// Every `.oxe/capabilities/*/CAPABILITY.md`, sorted by id.
pub fn read_catalog(root: &Path) -> Vec<CatalogEntry> {
    let dir = root.join(".oxe").join("capabilities");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<CatalogEntry> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| std::fs::read_to_string(e.path().join("CAPABILITY.md")).ok())
        .filter(|raw| !raw.is_empty())
        .map(|raw| parse_manifest(&raw))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

fn cell(list: &[String]) -> String {
    if list.is_empty() {
        "—".into()
    } else {
        list.join(", ")
    }
}

/// The text of `.oxe/CAPABILITIES.md` (ends with a newline).
pub fn render_index(root: &Path) -> String {
    let mut lines = vec![
        "# OXE — Installed capabilities".to_string(),
        String::new(),
        "> The project's local capability catalog. Each capability lives in `.oxe/capabilities/<id>/`.".to_string(),
        String::new(),
        "| ID | Type | Status | Scope | Policy | Side effects | Requires env | Evidence | Summary |".to_string(),
        "|----|------|--------|-------|--------|--------------|--------------|----------|---------|".to_string(),
    ];
    let catalog = read_catalog(root);
    if catalog.is_empty() {
        lines.push("| (empty) | — | — | — | — | — | — | — | No capability installed |".into());
    }
    for c in &catalog {
        lines.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            c.id,
            c.kind,
            c.status,
            c.scope,
            c.approval_policy.as_deref().unwrap_or("—"),
            cell(&c.side_effects),
            cell(&c.requires_env),
            cell(&c.evidence_outputs),
            c.description
        ));
    }
    lines.join("\n") + "\n"
}

fn write_file(ctx: &mut Ctx, path: &Path, bytes: &[u8]) -> bool {
    if let Err(e) = oxe_runtime::store::write_atomic(path, bytes) {
        let m = t(
            ctx,
            M::WriteFailed,
            &[&path.display().to_string(), &e.to_string()],
        );
        ctx.error(&m);
        return false;
    }
    true
}

fn write_index(ctx: &mut Ctx, root: &Path) -> bool {
    let text = render_index(root);
    write_file(
        ctx,
        &root.join(".oxe").join("CAPABILITIES.md"),
        text.as_bytes(),
    )
}

fn event(ctx: &mut Ctx, root: &Path, kind: &str, id: Option<&str>) {
    let mut ev = json!({ "type": kind });
    if let Some(id) = id {
        ev["payload"] = json!({ "capability_id": id });
    }
    if let Err(e) = oxe_runtime::events::append_event(root, None, &ev, None) {
        let m = t(
            ctx,
            M::WriteFailed,
            &[".oxe/OXE-EVENTS.ndjson", &e.to_string()],
        );
        ctx.notice(&m);
    }
}

fn done(ctx: &mut Ctx, text: &str) {
    let line = format!("  {} {text}", ctx.paint(GREEN, "✓"));
    ctx.say(&line);
}

/// Deletes `.oxe/capabilities/<id>` when it is a real folder; `Ok(false)`
/// when there was nothing to delete.
fn remove_capability(caps: &Path, id: &str) -> std::io::Result<bool> {
    let target: PathBuf = caps.join(id);
    match std::fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_dir() => {
            std::fs::remove_dir_all(&target)?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Runs the command after the shared prelude (help, unknown flag, banner,
/// folder check).
pub fn run(ctx: &mut Ctx, opts: &CapabilitiesOpts) -> i32 {
    let root = opts.dir.clone();
    ctx.section("OXE ▸ capabilities");
    if let Err(e) = crate::init_oxe::bootstrap_oxe(ctx, &root, false, false) {
        let m = t(
            ctx,
            M::BootstrapFailed,
            &[&e.path.display().to_string(), &e.reason],
        );
        ctx.error(&m);
        return 1;
    }
    let caps = root.join(".oxe").join("capabilities");
    if let Err(e) = std::fs::create_dir_all(&caps) {
        let m = t(
            ctx,
            M::WriteFailed,
            &[&caps.display().to_string(), &e.to_string()],
        );
        ctx.error(&m);
        return 1;
    }
    let action = opts.action.as_str();
    match action {
        "list" => {
            let label = ctx.paint(GREEN, msg(ctx.lang, M::Project));
            let line = format!("  {label} {}", ctx.paint(CYAN, &root.display().to_string()));
            ctx.say(&line);
            let ids = list_local(&root);
            if ids.is_empty() {
                let l = format!("  {}", ctx.paint(YELLOW, msg(ctx.lang, M::NoneInstalled)));
                ctx.say(&l);
            }
            for id in ids {
                let l = format!("  {} {id}", ctx.paint(DIM, "•"));
                ctx.say(&l);
            }
            0
        }
        "install" | "remove" => {
            if opts.id.is_empty() {
                let m = t(ctx, M::IdRequired, &[action]);
                ctx.error(&m);
                return 1;
            }
            let Some(id) = normalize_id(&opts.id) else {
                let label = ctx.paint(RED, msg(ctx.lang, M::InvalidId));
                let line = format!("{label} {}", opts.id);
                ctx.warn(&line);
                return 1;
            };
            if action == "install" {
                let manifest = caps.join(&id).join("CAPABILITY.md");
                if !manifest.exists() {
                    let raw =
                        crate::init_oxe::template(&ctx.env.package_root, "CAPABILITY.template.md")
                            .map(|b| String::from_utf8_lossy(&b).into_owned())
                            .unwrap_or_else(|| CAPABILITY_TEMPLATE.to_string());
                    let text = replace_sample_id(&raw, &id);
                    if !write_file(ctx, &manifest, text.as_bytes()) {
                        return 1;
                    }
                }
                if !write_index(ctx, &root) {
                    return 1;
                }
                event(ctx, &root, "capability_installed", Some(&id));
                let m = format!("{} {id}", msg(ctx.lang, M::Installed));
                done(ctx, &m);
            } else {
                let removed = match remove_capability(&caps, &id) {
                    Ok(r) => r,
                    Err(e) => {
                        let p = caps.join(&id).display().to_string();
                        let m = t(ctx, M::WriteFailed, &[&p, &e.to_string()]);
                        ctx.error(&m);
                        return 1;
                    }
                };
                if !write_index(ctx, &root) {
                    return 1;
                }
                event(ctx, &root, "capability_removed", Some(&id));
                let mut m = format!("{} {id}", msg(ctx.lang, M::Removed));
                if !removed {
                    m = format!("{m} {}", msg(ctx.lang, M::NotInstalled));
                }
                done(ctx, &m);
            }
            0
        }
        "update" => {
            if !write_index(ctx, &root) {
                return 1;
            }
            event(ctx, &root, "capability_index_refreshed", None);
            let m = msg(ctx.lang, M::Refreshed);
            done(ctx, m);
            0
        }
        other => {
            let label = ctx.paint(RED, msg(ctx.lang, M::UnknownAction));
            let line = format!("{label} {other}");
            ctx.warn(&line);
            1
        }
    }
}

/// Replaces the first line that reads exactly `id: sample-capability`
/// (any spaces after the colon) with `id: <id>`.
fn replace_sample_id(raw: &str, id: &str) -> String {
    let mut out = String::with_capacity(raw.len() + id.len());
    let mut replaced = false;
    for line in raw.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        let is_sample = body
            .strip_prefix("id:")
            .is_some_and(|r| r.trim_start() == "sample-capability");
        if !replaced && is_sample {
            out.push_str(&format!("id: {id}{nl}"));
            replaced = true;
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert_eq!(
            normalize_id(" Sample-HTTP ").as_deref(),
            Some("sample-http")
        );
        assert_eq!(normalize_id(".."), None);
        assert_eq!(normalize_id("../x"), None);
        assert_eq!(normalize_id("-a"), None);
        assert_eq!(normalize_id(""), None);
        assert_eq!(normalize_id("a/b"), None);
    }

    #[test]
    fn manifest_and_template() {
        let text = replace_sample_id(CAPABILITY_TEMPLATE, "web");
        assert!(text.contains("\nid: web\n"));
        let e = parse_manifest(&text);
        assert_eq!(e.id, "web");
        assert_eq!(e.kind, "script");
        assert_eq!(
            e.approval_policy.as_deref(),
            Some("require_approval_if_external_side_effect")
        );
        assert_eq!(e.description, "What this capability does, in one line.");
        let e = parse_manifest("---\nid: x\nside_effects: a, b\n---\n## Objetivo\n\n- Faz algo\n");
        assert_eq!(e.kind, "local");
        assert_eq!(e.scope, "mixed");
        assert_eq!(e.side_effects, vec!["a", "b"]);
        assert_eq!(e.description, "Faz algo");
    }

    #[test]
    fn remove_is_contained() {
        let tmp = std::env::temp_dir().join(format!("oxe-cap-rm-{}", std::process::id()));
        let caps = tmp.join(".oxe").join("capabilities");
        std::fs::create_dir_all(caps.join("a")).ok();
        assert!(remove_capability(&caps, "a").unwrap_or(false));
        assert!(!remove_capability(&caps, "missing").unwrap_or(true));
        assert!(tmp.join(".oxe").exists());
        std::fs::remove_dir_all(&tmp).ok();
    }
}
