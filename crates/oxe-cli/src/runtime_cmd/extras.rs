//! The smaller members of the `operational` namespace: the capability
//! catalog and its warnings, git activity since a run started, run-state
//! warnings and the memory layers of a scope.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use oxe_runtime::plugins::capability_adapter::{parse_array_field, parse_frontmatter};
use serde_json::{json, Value};

use super::js::{arr, get, js_string, text_or, truthy_of};
use super::ops::{Op, OpPaths, OpResult, VALID_RUN_STATUSES};
use crate::i18n::Lang;

pub const VALID_APPROVAL_POLICIES: [&str; 4] = [
    "always_allow",
    "require_approval",
    "require_approval_if_external_side_effect",
    "deny_unless_overridden",
];

pub const VALID_CAPABILITY_TYPES: [&str; 4] = ["script", "mcp", "automation", "local"];

fn tr(lang: Lang, en: String, pt: String) -> String {
    match lang {
        Lang::En => en,
        Lang::PtBr => pt,
    }
}

/// The first line of the `## Objetivo` / `## Objective` section.
fn objective(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let start = lines.iter().position(|l| {
        l.trim_start().strip_prefix("##").is_some_and(|h| {
            let h = h.trim().to_lowercase();
            h == "objetivo" || h == "objective"
        })
    })?;
    for l in &lines[start + 1..] {
        let t = l.trim();
        if t.starts_with('#') {
            return None;
        }
        let t = t.strip_prefix("- ").map_or(t, str::trim);
        if !t.is_empty() {
            return Some(t.to_string());
        }
    }
    None
}

/// `parseCapabilityManifest(text)`.
pub fn parse_capability_manifest(text: &str, lang: Lang) -> Value {
    let fm = parse_frontmatter(text);
    let s = |k: &str| {
        fm.get(k)
            .and_then(Value::as_str)
            .map(|v| crate::jstext::trim(v).to_string())
            .filter(|v| !v.is_empty())
    };
    let list = |k: &str| json!(parse_array_field(fm.get(k).and_then(Value::as_str)));
    let session = s("session_compatibility").or_else(|| s("session_scope"));
    json!({
        "id": s("id").unwrap_or_default(),
        "version": s("version").unwrap_or_else(|| "1".into()),
        "type": s("type").unwrap_or_else(|| "local".into()),
        "status": s("status").unwrap_or_else(|| "active".into()),
        "scope": s("scope").unwrap_or_else(|| "mixed".into()),
        "entrypoint": s("entrypoint").unwrap_or_default(),
        "approvalPolicy": s("approval_policy").or_else(|| s("policy")),
        "sideEffects": list("side_effects"),
        "requiresEnv": list("requires_env"),
        "evidenceOutputs": list("evidence_outputs"),
        "sessionCompatibility": json!(parse_array_field(session.as_deref())),
        "description": objective(text).unwrap_or_else(|| match lang {
            Lang::En => "Local project capability".into(),
            Lang::PtBr => "Capability local do projeto".into(),
        }),
    })
}

/// `readCapabilityCatalog(projectRoot)`: every
/// `.oxe/capabilities/*/CAPABILITY.md`, parsed, with `manifestPath`, by id.
pub fn read_capability_catalog(root: &Path, lang: Lang) -> Vec<Value> {
    let dir = root.join(".oxe").join("capabilities");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<Value> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let path = e.path().join("CAPABILITY.md");
            let raw = std::fs::read_to_string(&path)
                .ok()
                .filter(|r| !r.is_empty())?;
            let mut v = parse_capability_manifest(&raw, lang);
            v["manifestPath"] = json!(path.to_string_lossy());
            Some(v)
        })
        .collect();
    out.sort_by_key(|a| text_or(a.get("id"), ""));
    out
}

/// `capabilityCatalogWarnings(projectRoot)`: missing id, bad type, missing
/// or unknown approval policy, missing entrypoint or evidence outputs.
pub fn capability_catalog_warnings(root: &Path, lang: Lang) -> Vec<String> {
    let mut w = Vec::new();
    for cap in read_capability_catalog(root, lang) {
        let id = text_or(cap.get("id"), "");
        let path = text_or(cap.get("manifestPath"), "");
        let name = if id.is_empty() {
            path.clone()
        } else {
            id.clone()
        };
        if id.is_empty() {
            w.push(tr(
                lang,
                format!("Capability at {path} has no id"),
                format!("Capability em {path} sem id"),
            ));
        }
        let ty = text_or(cap.get("type"), "");
        if !VALID_CAPABILITY_TYPES.contains(&ty.as_str()) {
            w.push(tr(
                lang,
                format!("Capability {name}: type \"{ty}\" is invalid"),
                format!("Capability {name}: type \"{ty}\" inválido"),
            ));
        }
        let policy = cap
            .get("approvalPolicy")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !VALID_APPROVAL_POLICIES.contains(&policy) {
            w.push(tr(
                lang,
                format!("Capability {name}: approval_policy missing or invalid"),
                format!("Capability {name}: approval_policy ausente ou inválida"),
            ));
        }
        if text_or(cap.get("entrypoint"), "").is_empty() {
            w.push(tr(
                lang,
                format!("Capability {name}: entrypoint missing"),
                format!("Capability {name}: entrypoint ausente"),
            ));
        }
        let outputs = arr(cap.get("evidenceOutputs")).map_or(0, Vec::len);
        if outputs == 0 {
            w.push(tr(
                lang,
                format!("Capability {name}: evidence_outputs missing"),
                format!("Capability {name}: evidence_outputs ausente"),
            ));
        }
    }
    w
}

/// `readGitActivity(projectRoot, since)`: `[{hash, timestamp}]` of the
/// commits since `since` (empty when git is missing, fails or takes more
/// than 5 s).
pub fn read_git_activity(root: &Path, since: &str) -> Vec<Value> {
    if since.is_empty() || !root.is_dir() {
        return Vec::new();
    }
    let child = Command::new("git")
        .arg("log")
        .arg(format!("--since={since}"))
        .arg("--pretty=format:%H %aI")
        .current_dir(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Vec::new();
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() < Duration::from_secs(5) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let Some(status) = status.filter(|s| s.success()) else {
        return Vec::new();
    };
    let mut out = String::new();
    if let Some(mut so) = child.stdout.take() {
        use std::io::Read;
        let _ = so.read_to_string(&mut out);
    }
    let _ = status;
    out.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(' ') {
            Some((h, t)) => json!({"hash": h, "timestamp": t}),
            None => json!({"hash": l, "timestamp": ""}),
        })
        .collect()
}

/// `verifyGitEvidence(runState, projectRoot)`: a warning when a completed
/// run (or one with evidence) has no commit since it started.
pub fn verify_git_evidence(run: &Value, root: &Path, lang: Lang) -> Vec<String> {
    let Some(created) = truthy_of(run.get("created_at")) else {
        return Vec::new();
    };
    if !run.is_object() {
        return Vec::new();
    }
    let commits = read_git_activity(root, &js_string(created));
    let completed = text_or(run.get("status"), "") == "completed";
    let evidence = arr(run.get("evidence")).is_some_and(|e| !e.is_empty());
    if commits.is_empty() && (completed || evidence) {
        return vec![tr(
            lang,
            "No git commit found since the run started; check that the work was committed".into(),
            "Nenhum commit git encontrado desde o início do run; confirme se o trabalho foi commitado".into(),
        )];
    }
    Vec::new()
}

/// `runtimeStateWarnings(runState, checkpoints, projectRoot)`.
pub fn runtime_state_warnings(
    run: Option<&Value>,
    checkpoints: &[Value],
    root: Option<&Path>,
    lang: Lang,
) -> Vec<String> {
    let Some(run) = run.filter(|r| r.is_object()) else {
        return Vec::new();
    };
    let r = Some(run);
    let mut w = Vec::new();
    let status = text_or(get(r, "status"), "");
    if !VALID_RUN_STATUSES.contains(&status.as_str()) {
        let raw = get(r, "status").map_or_else(|| "undefined".into(), js_string);
        w.push(tr(
            lang,
            format!("Invalid ACTIVE-RUN: status \"{raw}\" is outside the contract"),
            format!("ACTIVE-RUN inválido: status \"{raw}\" fora do contrato"),
        ));
    }
    let cw = get(get(r, "cursor"), "wave").filter(|v| !v.is_null());
    let current = get(r, "current_wave").filter(|v| !v.is_null());
    if let (Some(a), Some(b)) = (cw, current) {
        if super::js::to_number(Some(a)) != super::js::to_number(Some(b)) {
            w.push(tr(
                lang,
                "ACTIVE-RUN cursor wave differs from current_wave".into(),
                "ACTIVE-RUN com cursor de onda divergente do current_wave".into(),
            ));
        }
    }
    let pending: Vec<String> = arr(get(r, "pending_checkpoints"))
        .into_iter()
        .flatten()
        .map(js_string)
        .collect();
    for cp in checkpoints {
        let st = text_or(cp.get("status"), "").to_lowercase();
        let id = cp.get("id").map_or_else(|| "undefined".into(), js_string);
        if st.contains("pending_approval") && !pending.contains(&id) {
            w.push(tr(
                lang,
                format!("Checkpoint {id} is pending in the index but missing from the ACTIVE-RUN"),
                format!("Checkpoint {id} pendente no índice, mas ausente do ACTIVE-RUN"),
            ));
        }
    }
    let edges = arr(get(get(r, "graph"), "edges"))
        .cloned()
        .unwrap_or_default();
    if edges.iter().any(|e| {
        e.get("type").and_then(Value::as_str) == Some("handoff")
            && (truthy_of(e.get("from")).is_none() || truthy_of(e.get("to")).is_none())
    }) {
        w.push(tr(
            lang,
            "The operational graph has a handoff without a source or a target".into(),
            "Grafo operacional contém handoff sem origem ou destino".into(),
        ));
    }
    if let Some(root) = root {
        w.extend(verify_git_evidence(run, root, lang));
    }
    w
}

impl Op<'_> {
    /// `buildMemoryLayers(projectRoot, activeSession)`.
    pub fn memory_layers(&self) -> OpResult<Value> {
        let p: OpPaths = self.paths()?;
        let sep = std::path::MAIN_SEPARATOR.to_string();
        let rel = |parts: &[&str]| parts.join(&sep);
        let (rt_src, rt_exists) = match self.session {
            Some(s) => (
                json!(rel(&[".oxe", s, "execution", "STATE.md"])),
                p.scope_root.join("execution").join("STATE.md").exists(),
            ),
            None => (
                json!(".oxe/STATE.md + ACTIVE-RUN.json"),
                p.oxe_dir.join("STATE.md").exists(),
            ),
        };
        Ok(json!({
            "readOrder": ["runtime_state", "session_memory", "project_memory", "evidence"],
            "runtime_state": {"source": rt_src, "exists": rt_exists},
            "session_memory": {
                "source": self.session.map(|s| rel(&[".oxe", s, "SESSION.md"])),
                "exists": p.session_manifest.as_ref().is_some_and(|m| m.exists()),
            },
            "project_memory": {"source": ".oxe/global/LESSONS.md", "exists": p.project_lessons.exists()},
            "evidence": {
                "source": match self.session {
                    Some(s) => vec![rel(&[".oxe", s, "research", "INVESTIGATIONS.md"]), rel(&[".oxe", s, "verification", "VERIFY.md"])],
                    None => vec![".oxe/INVESTIGATIONS.md".to_string(), ".oxe/VERIFY.md".to_string()],
                },
                "exists": p.investigations.exists() || p.verify.exists(),
            },
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_fields_and_defaults() {
        let raw = "---\nid: cap-a\ntype: script\nrequires_env: [API_KEY]\nentrypoint: scripts/run.js\napproval_policy: require_approval\nevidence_outputs: [logs/out.txt]\nside_effects: [network]\nsession_compatibility: [session]\n---\n\n# OXE — Capability\n\n## Objetivo\n\n- Does something.\n";
        let c = parse_capability_manifest(raw, Lang::En);
        assert_eq!(c["id"], json!("cap-a"));
        assert_eq!(c["version"], json!("1"));
        assert_eq!(c["scope"], json!("mixed"));
        assert_eq!(c["approvalPolicy"], json!("require_approval"));
        assert_eq!(c["evidenceOutputs"], json!(["logs/out.txt"]));
        assert_eq!(c["sessionCompatibility"], json!(["session"]));
        assert_eq!(c["description"], json!("Does something."));
        let bare = parse_capability_manifest("no front matter", Lang::En);
        assert_eq!(bare["approvalPolicy"], Value::Null);
        assert_eq!(bare["type"], json!("local"));
    }

    #[test]
    fn catalog_warnings() {
        let d = crate::tests::TempDir::new("caps");
        let put = |id: &str, body: &str| {
            let dir = d.path().join(".oxe/capabilities").join(id);
            std::fs::create_dir_all(&dir).ok();
            std::fs::write(dir.join("CAPABILITY.md"), body).ok();
        };
        put("ok", "---\nid: ok\ntype: script\nentrypoint: run.js\napproval_policy: require_approval\nevidence_outputs: [o]\n---\n");
        assert!(capability_catalog_warnings(d.path(), Lang::En).is_empty());
        put("bad", "---\ntype: weird\n---\n");
        let w = capability_catalog_warnings(d.path(), Lang::PtBr);
        assert!(w.iter().any(|x| x.contains("sem id")));
        assert!(w.iter().any(|x| x.contains("inválido")));
        assert!(w.iter().any(|x| x.contains("approval_policy")));
        assert!(w.iter().any(|x| x.contains("entrypoint")));
        assert!(w.iter().any(|x| x.contains("evidence_outputs")));
        assert_eq!(
            read_capability_catalog(d.path(), Lang::En)[0]["id"],
            json!("")
        );
    }

    #[test]
    fn git_activity_outside_a_repo_is_empty() {
        let d = crate::tests::TempDir::new("git");
        assert!(read_git_activity(d.path(), "2099-01-01T00:00:00Z").is_empty());
        let run =
            json!({"status": "running", "created_at": "2000-01-01T00:00:00Z", "evidence": []});
        assert!(verify_git_evidence(&run, d.path(), Lang::En).is_empty());
        let done = json!({"status": "completed", "created_at": "2000-01-01T00:00:00Z"});
        assert_eq!(verify_git_evidence(&done, d.path(), Lang::En).len(), 1);
    }

    #[test]
    fn state_warnings() {
        let run = json!({"status": "weird", "cursor": {"wave": 1}, "current_wave": 2, "pending_checkpoints": [],
            "graph": {"edges": [{"type": "handoff", "from": "a"}]}});
        let w = runtime_state_warnings(
            Some(&run),
            &[json!({"id": "CP-1", "status": "pending_approval"})],
            None,
            Lang::En,
        );
        assert_eq!(w.len(), 4, "{w:?}");
    }
}
