//! Project capabilities as plugins: `.oxe/capabilities/<dir>/CAPABILITY.md`
//! declares a capability (frontmatter `id`, `entrypoint`, `side_effects`,
//! `evidence_outputs`, `check_types`/`supports_checks`); each becomes a
//! plugin `capability:<id>` with a tool provider that runs the entrypoint
//! and, when it declares check types, a verifier provider `<id>-verifier`.
//!
//! The provider objects live in JS (the glue attaches `supports`,
//! `invoke` and `execute`); this module parses the manifests, decides the
//! providers' static fields and runs the entrypoint.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::{json, Map, Value};

use super::abi::CURRENT_ABI_VERSION;
use super::js::{js_string_opt, js_trim, truthy_opt};
use super::node_path;
use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::store::{self, Diagnostic};

/// A parsed CAPABILITY.md (the internal manifest type of 1.4.0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapabilityManifest {
    pub id: String,
    pub entrypoint: Option<String>,
    pub side_effects: Vec<String>,
    pub evidence_outputs: Vec<String>,
    pub check_types: Vec<String>,
    pub dir: String,
}

impl CapabilityManifest {
    /// `{id, entrypoint, sideEffects, evidenceOutputs, checkTypes, dir}`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "entrypoint": self.entrypoint,
            "sideEffects": self.side_effects,
            "evidenceOutputs": self.evidence_outputs,
            "checkTypes": self.check_types,
            "dir": self.dir,
        })
    }

    /// Reads a manifest handed to `createCapabilityPlugin`.
    pub fn from_json(v: &Value) -> OxeResult<CapabilityManifest> {
        let bad = |what: &str| OxeError::Arg(format!("createCapabilityPlugin: manifest.{what}"));
        let m = v.as_object().ok_or_else(|| {
            OxeError::Arg("createCapabilityPlugin: manifest must be an object".into())
        })?;
        let string = |k: &str| -> OxeResult<String> {
            m.get(k)
                .and_then(Value::as_str)
                .map(String::from)
                .ok_or_else(|| bad(&format!("{k} must be a string")))
        };
        let list = |k: &str| -> OxeResult<Vec<String>> {
            match m.get(k) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(a)) => Ok(a.iter().map(jsjson::js_string).collect()),
                Some(_) => Err(bad(&format!("{k} must be an array"))),
            }
        };
        Ok(CapabilityManifest {
            id: string("id")?,
            entrypoint: match m.get("entrypoint") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.is_empty() => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(bad("entrypoint must be a string or null")),
            },
            side_effects: list("sideEffects")?,
            evidence_outputs: list("evidenceOutputs")?,
            check_types: list("checkTypes")?,
            dir: string("dir")?,
        })
    }
}

/// The frontmatter: the first `---` block at the very start of the text,
/// as `key: value` lines (split at the first colon, trimmed; blank lines
/// and `#` comments skipped; a later key overrides an earlier one).
pub fn parse_frontmatter(text: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let body_start = if let Some(r) = text.strip_prefix("---\r\n") {
        text.len() - r.len()
    } else if let Some(r) = text.strip_prefix("---\n") {
        text.len() - r.len()
    } else {
        return out;
    };
    let rest = &text[body_start..];
    let mut end = None;
    for (i, _) in rest.char_indices() {
        let tail = &rest[i..];
        if tail.starts_with("\r\n---") || tail.starts_with("\n---") {
            end = Some(i);
            break;
        }
    }
    let Some(end) = end else {
        return out;
    };
    for line in rest[..end].split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = js_trim(line);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some(idx) = trimmed.find(':') else {
            continue;
        };
        let key = js_trim(&trimmed[..idx]).to_string();
        let value = js_trim(&trimmed[idx + 1..]).to_string();
        out.insert(key, Value::String(value));
    }
    out
}

fn is_line_terminator(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

fn strip_quotes(item: &str) -> &str {
    let is_q = |c: char| matches!(c, '\'' | '"' | '`');
    let s = item.strip_prefix(is_q).unwrap_or(item);
    if s.is_empty() {
        return s;
    }
    s.strip_suffix(is_q).unwrap_or(s)
}

/// An array field: `[a, 'b', \`c\`]` (quotes stripped) or `a, b, c`.
pub fn parse_array_field(value: Option<&str>) -> Vec<String> {
    let raw = js_trim(value.unwrap_or(""));
    if raw.is_empty() || raw == "[]" {
        return Vec::new();
    }
    let bracketed = raw.len() >= 2
        && raw.starts_with('[')
        && raw.ends_with(']')
        && !raw[1..raw.len() - 1].contains(is_line_terminator);
    if bracketed {
        return raw[1..raw.len() - 1]
            .split(',')
            .map(|item| strip_quotes(js_trim(item)).to_string())
            .filter(|s| !s.is_empty())
            .collect();
    }
    raw.split(',')
        .map(|item| js_trim(item).to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn fm_str<'a>(fm: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    fm.get(k).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Reads the capability manifests of a project, in directory byte order.
/// Sub-directories without a CAPABILITY.md or without an `id` are skipped;
/// a CAPABILITY.md that cannot be read is skipped and reported.
pub fn scan(root: &str) -> Vec<CapabilityManifest> {
    let caps_dir = node_path::join(&[root, ".oxe", "capabilities"]);
    let Ok(read) = fs::read_dir(&caps_dir) else {
        return Vec::new();
    };
    let mut dirs: Vec<String> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for name in dirs {
        let dir = node_path::join(&[&caps_dir, &name]);
        let manifest_path = node_path::join(&[&dir, "CAPABILITY.md"]);
        if !Path::new(&manifest_path).exists() {
            continue;
        }
        let raw = match fs::read(&manifest_path) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => {
                store::report(Diagnostic::new(
                    store::W_READ_FAILED,
                    Path::new(&manifest_path),
                    format!("capability manifest skipped: {e}"),
                ));
                continue;
            }
        };
        let fm = parse_frontmatter(&raw);
        let id = js_trim(fm_str(&fm, "id").unwrap_or("")).to_string();
        if id.is_empty() {
            continue;
        }
        let entrypoint = js_trim(fm_str(&fm, "entrypoint").unwrap_or(""));
        out.push(CapabilityManifest {
            id,
            entrypoint: (!entrypoint.is_empty()).then(|| entrypoint.to_string()),
            side_effects: parse_array_field(fm_str(&fm, "side_effects")),
            evidence_outputs: parse_array_field(fm_str(&fm, "evidence_outputs")),
            check_types: parse_array_field(
                fm_str(&fm, "check_types").or_else(|| fm_str(&fm, "supports_checks")),
            ),
            dir,
        });
    }
    out
}

fn any_matches(effects: &[String], words: &[&str]) -> bool {
    effects.iter().any(|e| {
        let lower = e.to_ascii_lowercase();
        words.iter().any(|w| lower.contains(w))
    })
}

/// The tool provider's `kind`, from the side effects.
pub fn tool_kind(side_effects: &[String]) -> &'static str {
    if any_matches(side_effects, &["db", "infra", "network", "external"]) {
        "external_operation"
    } else if any_matches(side_effects, &["write", "mutat", "git"]) {
        "mutation"
    } else if any_matches(side_effects, &["verify", "test", "evidence"]) {
        "verification"
    } else if any_matches(side_effects, &["analysis", "scan", "read"]) {
        "analysis"
    } else {
        "read"
    }
}

/// The static parts of a capability plugin: its name, version, ABI, the
/// tool provider's fields and accepted action types, and the verifier
/// provider (or `null` when no check types are declared).
pub fn plugin_shape(m: &CapabilityManifest) -> Value {
    let verifier = if m.check_types.is_empty() {
        Value::Null
    } else {
        json!({"name": format!("{}-verifier", m.id), "accepts": m.check_types})
    };
    json!({
        "name": format!("capability:{}", m.id),
        "version": "0.0.0",
        "abi_version": CURRENT_ABI_VERSION,
        "tool": {
            "name": m.id,
            "kind": tool_kind(&m.side_effects),
            "idempotent": !any_matches(&m.side_effects, &["write", "mutat", "git", "db", "infra"]),
            "accepts": [m.id.clone(), format!("capability:{}", m.id)],
        },
        "verifier": verifier,
    })
}

fn exists(p: &str) -> bool {
    Path::new(p).exists()
}

fn resolve_entrypoint(root: &str, m: &CapabilityManifest) -> Option<String> {
    let ep = m.entrypoint.as_deref()?;
    if node_path::is_absolute(ep) {
        return Some(ep.to_string());
    }
    let cap_rel = node_path::join(&[&m.dir, ep]);
    if exists(&cap_rel) {
        return Some(cap_rel);
    }
    let proj_rel = node_path::join(&[root, ep]);
    if exists(&proj_rel) {
        return Some(proj_rel);
    }
    Some(cap_rel)
}

fn evidence_paths(root: &str, m: &CapabilityManifest) -> Vec<String> {
    m.evidence_outputs
        .iter()
        .map(|entry| {
            let cap_rel = node_path::join(&[&m.dir, entry]);
            let chosen = if exists(&cap_rel) {
                cap_rel
            } else {
                node_path::join(&[root, entry])
            };
            node_path::relative(root, &chosen).replace('\\', "/")
        })
        .collect()
}

/// The errno name Node prints for a failed spawn.
fn errno_name(e: &std::io::Error) -> String {
    let name = match e.raw_os_error() {
        Some(1) => "EPERM",
        Some(2) => "ENOENT",
        Some(7) => "E2BIG",
        Some(8) => "ENOEXEC",
        Some(12) => "ENOMEM",
        Some(13) => "EACCES",
        Some(20) => "ENOTDIR",
        Some(21) => "EISDIR",
        Some(26) => "ETXTBSY",
        Some(36) => "ENAMETOOLONG",
        Some(40) => "ELOOP",
        _ => return e.to_string(),
    };
    name.to_string()
}

/// A finished child process, as `spawnSync` reports it.
pub struct SpawnOutcome {
    /// `String(result.error)` when the process could not be started.
    pub error: Option<String>,
    /// Exit status; `None` when killed by a signal or not started.
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `program args` in `cwd` with `env` overrides (`None` removes the
/// variable), capturing both streams as UTF-8 (lossy), stdin closed.
pub fn spawn_sync(
    program: &str,
    args: &[&str],
    cwd: &str,
    env: &[(&str, Option<String>)],
) -> SpawnOutcome {
    let mut cmd = Command::new(program);
    cmd.args(args).current_dir(cwd);
    for (k, v) in env {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    match cmd.output() {
        Ok(out) => SpawnOutcome {
            error: None,
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        Err(e) => SpawnOutcome {
            error: Some(format!("Error: spawnSync {program} {}", errno_name(&e))),
            status: None,
            stdout: String::new(),
            stderr: String::new(),
        },
    }
}

/// The tool provider's `invoke(input)`: runs the entrypoint (`.js`, `.cjs`,
/// `.mjs` through `exec_path`, the host Node binary; `.ps1` through
/// `powershell -File`; anything else directly) in the project root, with
/// the invocation in `OXE_CAPABILITY_*` variables, and reports
/// `{success, output, evidence_paths, side_effects_applied, error?}`.
pub fn invoke(
    root: &str,
    m: &CapabilityManifest,
    input: &Value,
    exec_path: &str,
) -> OxeResult<Value> {
    let Some(input_map) = input.as_object() else {
        return Err(OxeError::Arg("invoke: input must be an object".into()));
    };
    let Some(entrypoint) = resolve_entrypoint(root, m) else {
        return Ok(json!({
            "success": false,
            "output": "",
            "evidence_paths": [],
            "side_effects_applied": [],
            "error": format!("Capability {} does not declare an entrypoint", m.id),
        }));
    };
    // The child runs in the project root; an entrypoint found relative to
    // our own directory (a relative project root) is made absolute so it
    // still names the same file there (1.4.0 passed it on as it was).
    let entrypoint = node_path::resolve(&[&entrypoint]);
    let ext = node_path::extname(&entrypoint).to_lowercase();
    let (program, args): (&str, Vec<&str>) = match ext.as_str() {
        ".js" | ".cjs" | ".mjs" => (exec_path, vec![entrypoint.as_str()]),
        ".ps1" => ("powershell", vec!["-File", entrypoint.as_str()]),
        _ => (entrypoint.as_str(), Vec::new()),
    };
    let params = input_map.get("params");
    let params_text = if truthy_opt(params) {
        params.map(jsjson::to_line).unwrap_or_else(|| "{}".into())
    } else {
        "{}".into()
    };
    let field = |k: &str| input_map.get(k).map(|v| js_string_opt(Some(v)));
    let env = [
        ("OXE_CAPABILITY_INPUT", Some(params_text)),
        ("OXE_CAPABILITY_RUN_ID", field("run_id")),
        ("OXE_CAPABILITY_WORK_ITEM_ID", field("work_item_id")),
        ("OXE_CAPABILITY_ATTEMPT_ID", field("attempt_id")),
        ("OXE_CAPABILITY_WORKSPACE_ROOT", field("workspace_root")),
    ];
    let out = spawn_sync(program, &args, root, &env);
    let success = out.status == Some(0) && out.error.is_none();
    let joined = [out.stdout.as_str(), out.stderr.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    let mut r = Map::new();
    r.insert("success".into(), success.into());
    r.insert("output".into(), js_trim(&joined).into());
    r.insert("evidence_paths".into(), json!(evidence_paths(root, m)));
    r.insert("side_effects_applied".into(), json!(m.side_effects));
    let error = if let Some(e) = out.error {
        Some(e)
    } else if out.status == Some(0) {
        None
    } else if !out.stderr.is_empty() {
        Some(out.stderr)
    } else if !out.stdout.is_empty() {
        Some(out.stdout)
    } else {
        Some(format!(
            "Capability exited with status {}",
            out.status
                .map_or_else(|| "null".to_string(), |s| s.to_string())
        ))
    };
    if let Some(e) = error {
        r.insert("error".into(), e.into());
    }
    Ok(Value::Object(r))
}

/// The verifier provider's `execute(input)`: invokes the tool for
/// `verify:<check_type>` and maps the outcome to a VerificationResult.
pub fn execute(
    root: &str,
    m: &CapabilityManifest,
    input: &Value,
    exec_path: &str,
) -> OxeResult<Value> {
    let Some(vi) = input.as_object() else {
        return Err(OxeError::Arg("execute: input must be an object".into()));
    };
    let wi = vi.get("work_item_id");
    let wi_text = js_string_opt(wi);
    let mut params = Map::new();
    for k in ["check_id", "check_type", "command", "evidence_dir"] {
        if let Some(v) = vi.get(k) {
            params.insert(k.into(), v.clone());
        }
    }
    let mut tool_input = Map::new();
    tool_input.insert(
        "action_type".into(),
        format!("verify:{}", js_string_opt(vi.get("check_type"))).into(),
    );
    if let Some(w) = wi {
        tool_input.insert("work_item_id".into(), w.clone());
        tool_input.insert("run_id".into(), w.clone());
    }
    tool_input.insert("attempt_id".into(), format!("{wi_text}-verify").into());
    tool_input.insert("params".into(), Value::Object(params));
    if let Some(w) = vi.get("workspace_root") {
        tool_input.insert("workspace_root".into(), w.clone());
    }
    let tool = invoke(root, m, &Value::Object(tool_input), exec_path)?;
    let summary = [tool.get("error"), tool.get("output")]
        .into_iter()
        .flatten()
        .find(|v| jsjson::truthy(v))
        .cloned()
        .unwrap_or(Value::Null);
    let mut r = Map::new();
    r.insert(
        "verification_id".into(),
        format!("vr-{}-{}", m.id, js_string_opt(vi.get("check_id"))).into(),
    );
    if let Some(w) = wi {
        r.insert("work_item_id".into(), w.clone());
    }
    if let Some(c) = vi.get("check_id") {
        r.insert("check_id".into(), c.clone());
    }
    let ok = tool.get("success").is_some_and(jsjson::truthy);
    r.insert("status".into(), if ok { "pass" } else { "fail" }.into());
    r.insert(
        "evidence_refs".into(),
        tool.get("evidence_paths")
            .cloned()
            .unwrap_or_else(|| json!([])),
    );
    r.insert("summary".into(), summary);
    Ok(Value::Object(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontmatter_rules() {
        let fm = parse_frontmatter("---\nid: deploy\n# note\n\nentrypoint: run.js\nside_effects: [write, 'network']\nurl: http://x:1\n---\nbody");
        assert_eq!(fm["id"], json!("deploy"));
        assert_eq!(fm["url"], json!("http://x:1"));
        let fm = parse_frontmatter("---\r\nid: a\r\n---\r\n");
        assert_eq!(fm["id"], json!("a"));
        assert!(parse_frontmatter("---\n---\n").is_empty());
        assert!(parse_frontmatter("\n---\nid: a\n---").is_empty());
        assert_eq!(parse_frontmatter("---\nid: a\n----x")["id"], json!("a"));
    }

    #[test]
    fn array_fields() {
        assert_eq!(
            parse_array_field(Some("[write, 'net', `x`, \"\"]")),
            ["write", "net", "x"]
        );
        assert_eq!(parse_array_field(Some("a, b ,, c")), ["a", "b", "c"]);
        assert_eq!(parse_array_field(Some("[]")), Vec::<String>::new());
        assert_eq!(parse_array_field(Some("['a]")), ["a"]);
        assert_eq!(parse_array_field(Some("[']")), Vec::<String>::new());
        assert_eq!(parse_array_field(None), Vec::<String>::new());
    }

    #[test]
    fn kinds() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(tool_kind(&s(&["Network"])), "external_operation");
        assert_eq!(tool_kind(&s(&["git commit"])), "mutation");
        assert_eq!(tool_kind(&s(&["evidence"])), "verification");
        assert_eq!(tool_kind(&s(&["scan"])), "analysis");
        assert_eq!(tool_kind(&s(&[])), "read");
        let m = CapabilityManifest {
            id: "x".into(),
            entrypoint: None,
            side_effects: s(&["read"]),
            evidence_outputs: vec![],
            check_types: s(&["unit"]),
            dir: "/p/.oxe/capabilities/x".into(),
        };
        let shape = plugin_shape(&m);
        assert_eq!(shape["tool"]["idempotent"], json!(true));
        assert_eq!(shape["tool"]["accepts"], json!(["x", "capability:x"]));
        assert_eq!(shape["verifier"]["name"], json!("x-verifier"));
        let r = invoke("/p", &m, &json!({}), "node").unwrap();
        assert_eq!(
            r["error"],
            json!("Capability x does not declare an entrypoint")
        );
    }

    #[cfg(unix)]
    #[test]
    fn scan_and_run() {
        use std::os::unix::fs::PermissionsExt;
        let root = std::env::temp_dir().join(format!("oxe-cap-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let cap = root.join(".oxe/capabilities/b-lint");
        fs::create_dir_all(&cap).unwrap();
        fs::create_dir_all(root.join(".oxe/capabilities/a-noid")).unwrap();
        fs::write(
            root.join(".oxe/capabilities/a-noid/CAPABILITY.md"),
            "---\nname: x\n---\n",
        )
        .unwrap();
        fs::write(
            cap.join("CAPABILITY.md"),
            "---\nid: lint\nentrypoint: run.sh\nside_effects: [scan]\nevidence_outputs: out.txt\nsupports_checks: unit, smoke\n---\n",
        )
        .unwrap();
        let script = cap.join("run.sh");
        fs::write(&script, "#!/bin/sh\necho \"in=$OXE_CAPABILITY_INPUT run=$OXE_CAPABILITY_RUN_ID\"\necho oops >&2\nexit 3\n").unwrap();
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(cap.join("out.txt"), "x").unwrap();
        let root_s = root.to_str().unwrap();
        let ms = scan(root_s);
        assert_eq!(ms.len(), 1);
        assert_eq!(ms[0].check_types, ["unit", "smoke"]);
        let r = invoke(
            root_s,
            &ms[0],
            &json!({"run_id": "r1", "params": {"a": 1}}),
            "node",
        )
        .unwrap();
        assert_eq!(r["success"], json!(false));
        assert_eq!(r["output"], json!("in={\"a\":1} run=r1\n\noops"));
        assert_eq!(r["error"], json!("oops\n"));
        assert_eq!(
            r["evidence_paths"],
            json!([".oxe/capabilities/b-lint/out.txt"])
        );
        let v = execute(
            root_s,
            &ms[0],
            &json!({"check_id": "c1", "check_type": "unit", "work_item_id": "T1"}),
            "node",
        )
        .unwrap();
        assert_eq!(v["verification_id"], json!("vr-lint-c1"));
        assert_eq!(v["status"], json!("fail"));
        assert_eq!(v["summary"], json!("oops\n"));
        let mut missing = ms[0].clone();
        missing.entrypoint = Some("nope.sh".into());
        let r = invoke(root_s, &missing, &json!({}), "node").unwrap();
        assert!(
            r["error"].as_str().unwrap().ends_with("nope.sh ENOENT"),
            "{r}"
        );
        let _ = fs::remove_dir_all(&root);
    }
}
