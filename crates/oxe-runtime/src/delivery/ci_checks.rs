//! The built-in CI checks (`oxe-plan-consistency`, `oxe-verify-acceptance`,
//! `oxe-policy`, `oxe-security-baseline`, `oxe-runtime-evidence-integrity`)
//! and `summarizeCIResults`.
//!
//! A check result is `{check, status, message, details?}`; `check` is the
//! `name` of the object the check ran on (the glue passes `this.name`).
//! Texts follow 1.4.0, including the `String(err)` forms of the errors a
//! malformed file raises there. Beyond 1.4.0, a session or run id that would
//! leave `.oxe/`, or a directory that cannot be read, gives status `error`
//! instead of rejecting the whole CI run.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::error::{OxeError, OxeResult};
use crate::jsjson;
use crate::paths;
use crate::plugins::js::{is_js_space, js_string_opt, num_str, to_number, truthy_opt};
use crate::plugins::node_path;

/// The five built-in checks, in `OXE_CI_CHECKS` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckKind {
    PlanConsistency,
    VerifyAcceptance,
    Policy,
    SecurityBaseline,
    RuntimeEvidenceIntegrity,
}

impl CheckKind {
    pub const ALL: [CheckKind; 5] = [
        CheckKind::PlanConsistency,
        CheckKind::VerifyAcceptance,
        CheckKind::Policy,
        CheckKind::SecurityBaseline,
        CheckKind::RuntimeEvidenceIntegrity,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CheckKind::PlanConsistency => "oxe-plan-consistency",
            CheckKind::VerifyAcceptance => "oxe-verify-acceptance",
            CheckKind::Policy => "oxe-policy",
            CheckKind::SecurityBaseline => "oxe-security-baseline",
            CheckKind::RuntimeEvidenceIntegrity => "oxe-runtime-evidence-integrity",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            CheckKind::PlanConsistency => {
                "Verifies ACTIVE-RUN.json exists and has a compiled ExecutionGraph"
            }
            CheckKind::VerifyAcceptance => {
                "Checks that VERIFY.md exists and contains no failed criteria"
            }
            CheckKind::Policy => "Checks that no gates are pending (unresolved human approval)",
            CheckKind::SecurityBaseline => "Scans evidence artifacts for common secret patterns",
            CheckKind::RuntimeEvidenceIntegrity => {
                "Validates that all evidence index files are valid JSON and files exist on disk"
            }
        }
    }

    pub fn from_name(name: &str) -> Option<CheckKind> {
        CheckKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// `CICheckContext` as the glue sends it: `{projectRoot, sessionId, runId,
/// evidenceStore}` with `evidenceStore` reduced to its truthiness.
#[derive(Clone, Debug)]
pub struct CiContext {
    pub root: String,
    pub session: Option<String>,
    pub run: Option<String>,
    pub evidence_store: bool,
}

impl CiContext {
    pub fn from_wire(v: &Value) -> OxeResult<CiContext> {
        let root = v
            .get("projectRoot")
            .and_then(Value::as_str)
            .ok_or_else(|| OxeError::Arg("runCIChecks: ctx.projectRoot must be a string".into()))?
            .to_string();
        let id = |k: &str| {
            let f = v.get(k);
            truthy_opt(f).then(|| js_string_opt(f))
        };
        Ok(CiContext {
            root,
            session: id("sessionId"),
            run: id("runId"),
            evidence_store: truthy_opt(v.get("evidenceStore")),
        })
    }

    /// `path.join(projectRoot, '.oxe')`.
    fn oxe(&self) -> PathBuf {
        PathBuf::from(node_path::join(&[&self.root, ".oxe"]))
    }

    fn session_dir(&self) -> OxeResult<Option<PathBuf>> {
        match &self.session {
            None => Ok(None),
            Some(s) => {
                let mut p = self.oxe();
                for seg in paths::safe_segments("sessionId", s)? {
                    p.push(seg);
                }
                Ok(Some(p))
            }
        }
    }

    fn run_dir(&self) -> OxeResult<Option<PathBuf>> {
        match &self.run {
            None => Ok(None),
            Some(r) => {
                let mut p = self.oxe().join("runs");
                for seg in paths::safe_segments("runId", r)? {
                    p.push(seg);
                }
                Ok(Some(p))
            }
        }
    }

    fn evidence_dir(&self) -> OxeResult<Option<PathBuf>> {
        match &self.run {
            None => Ok(None),
            Some(r) => {
                let mut p = self.oxe().join("evidence").join("runs");
                for seg in paths::safe_segments("runId", r)? {
                    p.push(seg);
                }
                Ok(Some(p))
            }
        }
    }
}

fn result(
    check: &Option<Value>,
    status: &str,
    message: impl Into<String>,
    details: Option<Value>,
) -> Value {
    let mut m = Map::new();
    if let Some(c) = check {
        m.insert("check".into(), c.clone());
    }
    m.insert("status".into(), status.into());
    m.insert("message".into(), message.into().into());
    if let Some(d) = details {
        m.insert("details".into(), d);
    }
    Value::Object(m)
}

/// `String(err)` of a `JSON.parse` failure or a read error.
fn parse_or_read(path: &Path) -> Result<Value, String> {
    let bytes = fs::read(path).map_err(|e| format!("Error: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    jsjson::parse(&text).map_err(|e| format!("SyntaxError: {e}"))
}

/// `String(TypeError)` for reading `key` of null or undefined.
fn read_of(v: Option<&Value>, key: &str) -> String {
    let what = if v.is_none() { "undefined" } else { "null" };
    format!("TypeError: Cannot read properties of {what} (reading '{key}')")
}

/// Runs one built-in check. `check` is the `name` of the object it ran on.
pub fn run_check(kind: CheckKind, check: Option<Value>, ctx: &CiContext) -> Value {
    let r = match kind {
        CheckKind::PlanConsistency => plan_consistency(&check, ctx),
        CheckKind::VerifyAcceptance => verify_acceptance(&check, ctx),
        CheckKind::Policy => policy(&check, ctx),
        CheckKind::SecurityBaseline => security_baseline(&check, ctx),
        CheckKind::RuntimeEvidenceIntegrity => evidence_integrity(&check, ctx),
    };
    r.unwrap_or_else(|e| result(&check, "error", e.to_string(), None))
}

fn plan_consistency(check: &Option<Value>, ctx: &CiContext) -> OxeResult<Value> {
    let path = match ctx.session_dir()? {
        Some(s) => s.join("execution").join("ACTIVE-RUN.json"),
        None => ctx.oxe().join("ACTIVE-RUN.json"),
    };
    if !path.exists() {
        return Ok(result(check, "skip", "No ACTIVE-RUN.json found", None));
    }
    let raw = match parse_or_read(&path) {
        Ok(v) => v,
        Err(e) => {
            return Ok(result(
                check,
                "error",
                format!("Failed to parse ACTIVE-RUN.json: {e}"),
                None,
            ))
        }
    };
    if raw.is_null() {
        return Ok(result(
            check,
            "error",
            format!(
                "Failed to parse ACTIVE-RUN.json: {}",
                read_of(Some(&raw), "compiled_graph")
            ),
            None,
        ));
    }
    let graph = raw.get("compiled_graph");
    let has_graph =
        truthy_opt(graph) && matches!(graph, Some(Value::Object(_)) | Some(Value::Array(_)));
    let run_id = raw.get("run_id");
    if !matches!(run_id, Some(Value::String(_))) {
        return Ok(result(
            check,
            "fail",
            "ACTIVE-RUN.json missing run_id",
            Some(raw.clone()),
        ));
    }
    if !has_graph {
        return Ok(result(
            check,
            "fail",
            "No compiled ExecutionGraph found in ACTIVE-RUN.json",
            Some(json!({"run_id": run_id})),
        ));
    }
    Ok(result(
        check,
        "pass",
        format!("Run {} has compiled graph", js_string_opt(run_id)),
        None,
    ))
}

fn verify_acceptance(check: &Option<Value>, ctx: &CiContext) -> OxeResult<Value> {
    if let Some(run_dir) = ctx.run_dir()? {
        let manifest_path = run_dir.join("verification-manifest.json");
        if manifest_path.exists() {
            let fail_parse = |e: String| {
                result(
                    check,
                    "error",
                    format!("Failed to parse verification manifest: {e}"),
                    None,
                )
            };
            let manifest = match parse_or_read(&manifest_path) {
                Ok(v) => v,
                Err(e) => return Ok(fail_parse(e)),
            };
            if manifest.is_null() {
                return Ok(fail_parse(read_of(Some(&manifest), "summary")));
            }
            let summary = manifest.get("summary").filter(|s| !s.is_null());
            let count = |k: &str| {
                let v = summary.and_then(|s| s.get(k));
                if truthy_opt(v) {
                    v.map_or(f64::NAN, to_number)
                } else {
                    0.0
                }
            };
            let (fails, errors) = (count("fail"), count("error"));
            if fails == 0.0 && errors == 0.0 {
                let Some(summary) = summary else {
                    return Ok(fail_parse(read_of(manifest.get("summary"), "total")));
                };
                return Ok(result(
                    check,
                    "pass",
                    format!(
                        "Manifest reports {} checks with no failures",
                        js_string_opt(summary.get("total"))
                    ),
                    None,
                ));
            }
            return Ok(result(
                check,
                "fail",
                format!(
                    "Manifest reports {} failed and {} errored checks",
                    num_str(fails),
                    num_str(errors)
                ),
                summary.cloned(),
            ));
        }
    }
    let verify_path = match ctx.session_dir()? {
        Some(s) => s.join("verification").join("VERIFY.md"),
        None => ctx.oxe().join("VERIFY.md"),
    };
    if !verify_path.exists() {
        return Ok(result(
            check,
            "skip",
            "No VERIFY.md found — run /oxe-verify first",
            None,
        ));
    }
    let content = match fs::read(&verify_path) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            return Ok(result(
                check,
                "error",
                format!("Failed to read VERIFY.md: Error: {e}"),
                None,
            ))
        }
    };
    let failed: Vec<&str> = content
        .split('\n')
        .filter(|l| l.contains("✗ FAIL"))
        .collect();
    let passed = content.split('\n').filter(|l| l.contains("✓ PASS")).count();
    if !failed.is_empty() {
        return Ok(result(
            check,
            "fail",
            format!("{} acceptance criteria failed", failed.len()),
            Some(json!({"failed": failed, "passed": passed})),
        ));
    }
    if passed == 0 {
        return Ok(result(
            check,
            "skip",
            "VERIFY.md has no pass/fail markers",
            None,
        ));
    }
    Ok(result(
        check,
        "pass",
        format!("{passed} acceptance criteria passed"),
        None,
    ))
}

fn policy(check: &Option<Value>, ctx: &CiContext) -> OxeResult<Value> {
    let gates_path = match ctx.session_dir()? {
        Some(s) => s.join("execution").join("GATES.json"),
        None => ctx.oxe().join("execution").join("GATES.json"),
    };
    if !gates_path.exists() {
        return Ok(result(check, "pass", "No pending gates", None));
    }
    let error = |e: String| {
        result(
            check,
            "error",
            format!("Failed to read GATES.json: {e}"),
            None,
        )
    };
    let gates = match parse_or_read(&gates_path) {
        Ok(v) => v,
        Err(e) => return Ok(error(e)),
    };
    let Some(gates) = gates.as_array() else {
        return Ok(error("TypeError: gates.filter is not a function".into()));
    };
    let mut pending = Vec::new();
    for g in gates {
        if !g.is_object() {
            return Ok(error(read_of(Some(g), "status")));
        }
        if g.get("status") == Some(&Value::from("pending")) {
            let mut d = Map::new();
            for k in ["gate_id", "scope"] {
                if let Some(v) = g.get(k) {
                    d.insert(k.into(), v.clone());
                }
            }
            pending.push(Value::Object(d));
        }
    }
    if !pending.is_empty() {
        return Ok(result(
            check,
            "fail",
            format!("{} unresolved gate(s)", pending.len()),
            Some(Value::Array(pending)),
        ));
    }
    if let Some(run_dir) = ctx.run_dir()? {
        let policy_path = run_dir.join("policy-decisions.json");
        if policy_path.exists() {
            let decisions = match parse_or_read(&policy_path) {
                Ok(v) => v,
                Err(e) => return Ok(error(e)),
            };
            let Some(decisions) = decisions.as_array() else {
                return Ok(error(
                    "TypeError: policyDecisions.filter is not a function".into(),
                ));
            };
            let mut without = 0usize;
            for d in decisions {
                if !d.is_object() {
                    return Ok(error(read_of(Some(d), "override")));
                }
                if truthy_opt(d.get("override")) && !truthy_opt(d.get("rationale")) {
                    without += 1;
                }
            }
            if without > 0 {
                return Ok(result(
                    check,
                    "fail",
                    format!("{without} policy override(s) without rationale"),
                    None,
                ));
            }
        }
    }
    Ok(result(
        check,
        "pass",
        "All gates resolved and policy overrides are justified",
        None,
    ))
}

/// Visits the files under `dir` (recursively, entries in byte order; a
/// directory is entered only if it is one itself, not through a symlink).
fn walk(dir: &Path, visit: &mut dyn FnMut(&Path)) -> std::io::Result<()> {
    let mut entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by(|a, b| {
        a.file_name()
            .as_encoded_bytes()
            .cmp(b.file_name().as_encoded_bytes())
    });
    for e in entries {
        let p = e.path();
        if e.file_type()?.is_dir() {
            walk(&p, visit)?;
        } else {
            visit(&p);
        }
    }
    Ok(())
}

/// The secret patterns' sources, as 1.4.0 declares them.
pub const SECRET_PATTERN_SOURCES: [&str; 3] = [
    r#"(?:password|passwd|secret|api[_-]?key|auth[_-]?token)\s*[:=]\s*['"]?\S{8,}"#,
    "(?:AKIA|ASIA)[A-Z0-9]{16}",
    "-----BEGIN (?:RSA|EC|OPENSSH) PRIVATE KEY-----",
];

const SECRET_WORDS: [&str; 9] = [
    "password",
    "passwd",
    "secret",
    "apikey",
    "api_key",
    "api-key",
    "authtoken",
    "auth_token",
    "auth-token",
];

/// `(?:password|…)\s*[:=]\s*['"]?\S{8,}` with the `i` flag: a keyword (ASCII
/// case-insensitive), blanks, `:` or `=`, blanks, then at least eight
/// non-blank UTF-16 code units.
fn matches_assignment(content: &str) -> bool {
    let lower = content.to_ascii_lowercase();
    for word in SECRET_WORDS {
        let mut from = 0;
        while let Some(off) = lower[from..].find(word) {
            let after = from + off + word.len();
            if assignment_follows(&content[after..]) {
                return true;
            }
            from += off + 1;
            while !lower.is_char_boundary(from) {
                from += 1;
            }
        }
    }
    false
}

fn assignment_follows(rest: &str) -> bool {
    let rest = rest.trim_start_matches(is_js_space);
    let Some(rest) = rest.strip_prefix([':', '=']) else {
        return false;
    };
    let rest = rest.trim_start_matches(is_js_space);
    let mut units = 0usize;
    for c in rest.chars() {
        if is_js_space(c) {
            break;
        }
        units += c.len_utf16();
        if units >= 8 {
            return true;
        }
    }
    false
}

/// `(?:AKIA|ASIA)[A-Z0-9]{16}`.
fn matches_aws_key(content: &str) -> bool {
    let b = content.as_bytes();
    let mut i = 0;
    while i + 20 <= b.len() {
        let head = &b[i..i + 4];
        if (head == b"AKIA" || head == b"ASIA")
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return true;
        }
        i += 1;
    }
    false
}

fn matches_private_key(content: &str) -> bool {
    ["RSA", "EC", "OPENSSH"]
        .iter()
        .any(|k| content.contains(&format!("-----BEGIN {k} PRIVATE KEY-----")))
}

/// The index of the first secret pattern `content` matches.
pub fn secret_pattern(content: &str) -> Option<usize> {
    if matches_assignment(content) {
        Some(0)
    } else if matches_aws_key(content) {
        Some(1)
    } else if matches_private_key(content) {
        Some(2)
    } else {
        None
    }
}

fn security_baseline(check: &Option<Value>, ctx: &CiContext) -> OxeResult<Value> {
    if !ctx.evidence_store || ctx.run.is_none() {
        return Ok(result(
            check,
            "skip",
            "No evidence store or run ID provided",
            None,
        ));
    }
    let Some(dir) = ctx.evidence_dir()? else {
        return Ok(result(
            check,
            "skip",
            "No evidence store or run ID provided",
            None,
        ));
    };
    if !dir.exists() {
        return Ok(result(
            check,
            "skip",
            "No evidence found for this run",
            None,
        ));
    }
    let mut findings = Vec::new();
    let walked = walk(&dir, &mut |p| {
        let name = p.to_string_lossy();
        if !(name.ends_with(".json") || name.ends_with(".patch") || name.ends_with(".txt")) {
            return;
        }
        let Ok(bytes) = fs::read(p) else {
            return;
        };
        if let Some(i) = secret_pattern(&String::from_utf8_lossy(&bytes)) {
            let source: String = SECRET_PATTERN_SOURCES[i].chars().take(40).collect();
            findings.push(format!(
                "{}: matches pattern {source}",
                node_path::basename(&name)
            ));
        }
    });
    if let Err(e) = walked {
        return Ok(result(
            check,
            "error",
            format!("Failed to scan evidence: Error: {e}"),
            None,
        ));
    }
    if !findings.is_empty() {
        return Ok(result(
            check,
            "fail",
            format!(
                "Secret patterns detected in {} evidence file(s)",
                findings.len()
            ),
            Some(json!(findings)),
        ));
    }
    Ok(result(
        check,
        "pass",
        "No secret patterns detected in evidence",
        None,
    ))
}

/// `String(err)` of Node's `path.join` given a non-string.
fn path_arg_error(v: Option<&Value>) -> String {
    let received = match v {
        None => "undefined".to_string(),
        Some(Value::Null) => "null".to_string(),
        Some(Value::Bool(b)) => format!("type boolean ({b})"),
        Some(Value::Number(n)) => format!(
            "type number ({})",
            jsjson::js_string(&Value::Number(n.clone()))
        ),
        Some(Value::Array(_)) => "an instance of Array".to_string(),
        Some(_) => "an instance of Object".to_string(),
    };
    format!("TypeError [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string. Received {received}")
}

fn evidence_integrity(check: &Option<Value>, ctx: &CiContext) -> OxeResult<Value> {
    let Some(dir) = ctx.evidence_dir()? else {
        return Ok(result(check, "skip", "No run ID provided", None));
    };
    if !dir.exists() {
        return Ok(result(
            check,
            "skip",
            "No evidence directory for this run",
            None,
        ));
    }
    let mut errors: Vec<String> = Vec::new();
    let mut index_count = 0usize;
    let mut evidence_count = 0usize;
    let root = ctx.root.clone();
    let walked = walk(&dir, &mut |p| {
        if p.file_name().and_then(|n| n.to_str()) != Some("index.json") {
            return;
        }
        index_count += 1;
        let shown = p.to_string_lossy();
        let items = match parse_or_read(p) {
            Ok(v) => v,
            Err(e) => {
                errors.push(format!("Corrupt index at {shown}: {e}"));
                return;
            }
        };
        let list: Vec<Value> = match items {
            Value::Array(a) => a,
            Value::String(s) if !s.is_empty() => {
                evidence_count += 1;
                errors.push(format!(
                    "Corrupt index at {shown}: {}",
                    path_arg_error(None)
                ));
                return;
            }
            Value::String(_) => Vec::new(),
            _ => {
                errors.push(format!(
                    "Corrupt index at {shown}: TypeError: items is not iterable"
                ));
                return;
            }
        };
        for item in &list {
            evidence_count += 1;
            let Some(obj) = item.as_object() else {
                let err = if item.is_null() {
                    read_of(Some(item), "path")
                } else {
                    path_arg_error(None)
                };
                errors.push(format!("Corrupt index at {shown}: {err}"));
                return;
            };
            let Some(rel) = obj.get("path").and_then(Value::as_str) else {
                errors.push(format!(
                    "Corrupt index at {shown}: {}",
                    path_arg_error(obj.get("path"))
                ));
                return;
            };
            let abs = node_path::join(&[&root, rel]);
            if !Path::new(&abs).exists() {
                errors.push(format!(
                    "Missing file for {}: {rel}",
                    js_string_opt(obj.get("evidence_id"))
                ));
            }
        }
    });
    if let Err(e) = walked {
        return Ok(result(
            check,
            "error",
            format!("Failed to scan evidence: Error: {e}"),
            None,
        ));
    }
    if !errors.is_empty() {
        return Ok(result(
            check,
            "fail",
            format!("{} integrity error(s)", errors.len()),
            Some(json!(errors)),
        ));
    }
    Ok(result(
        check,
        if index_count == 0 { "skip" } else { "pass" },
        format!("{evidence_count} evidence artifact(s) across {index_count} index(es) — all valid"),
        None,
    ))
}

/// `summarizeCIResults(results)` from the results' `status` values
/// (`None` = `undefined`). A status that is one of the counters' names
/// increments it, as in 1.4.0; other statuses are not counted.
pub fn summarize(statuses: &[Option<String>]) -> Value {
    let mut counts = [statuses.len() as u64, 0, 0, 0, 0];
    let keys = ["total", "pass", "fail", "skip", "error"];
    for s in statuses.iter().flatten() {
        if let Some(i) = keys.iter().position(|k| k == s) {
            counts[i] += 1;
        }
    }
    json!({
        "total": counts[0],
        "pass": counts[1],
        "fail": counts[2],
        "skip": counts[3],
        "error": counts[4],
        "allPassed": counts[2] == 0 && counts[4] == 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("oxe-ci-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn ctx(root: &Path, run: Option<&str>, store: bool) -> CiContext {
        CiContext {
            root: root.to_str().unwrap().into(),
            session: None,
            run: run.map(String::from),
            evidence_store: store,
        }
    }

    fn status(kind: CheckKind, c: &CiContext) -> (String, String) {
        let r = run_check(kind, Some(kind.name().into()), c);
        assert_eq!(r["check"], json!(kind.name()));
        (
            r["status"].as_str().unwrap().into(),
            r["message"].as_str().unwrap().into(),
        )
    }

    #[test]
    fn patterns() {
        assert_eq!(secret_pattern("api_key: \"supersecretvalue123\""), Some(0));
        assert_eq!(secret_pattern("PASSWORD=abcdefgh"), Some(0));
        assert_eq!(secret_pattern("password = 'abcdefg'"), Some(0));
        assert_eq!(secret_pattern("password = abcdefg"), None);
        assert_eq!(secret_pattern("secret: short x"), None);
        assert_eq!(secret_pattern("id AKIAABCDEFGHIJKLMNOP"), Some(1));
        assert_eq!(secret_pattern("AKIAabcdefghijklmnop"), None);
        assert_eq!(secret_pattern("-----BEGIN EC PRIVATE KEY-----"), Some(2));
        assert_eq!(secret_pattern("All tests passed."), None);
        let src: String = SECRET_PATTERN_SOURCES[0].chars().take(40).collect();
        assert_eq!(src, "(?:password|passwd|secret|api[_-]?key|au");
    }

    #[test]
    fn plan_and_verify() {
        let root = tmp("plan");
        let c = ctx(&root, None, false);
        assert_eq!(status(CheckKind::PlanConsistency, &c).0, "skip");
        fs::create_dir_all(root.join(".oxe")).unwrap();
        fs::write(
            root.join(".oxe/ACTIVE-RUN.json"),
            r#"{"compiled_graph":{}}"#,
        )
        .unwrap();
        assert_eq!(status(CheckKind::PlanConsistency, &c).0, "fail");
        fs::write(
            root.join(".oxe/ACTIVE-RUN.json"),
            r#"{"run_id":"r-1","compiled_graph":{}}"#,
        )
        .unwrap();
        assert_eq!(
            status(CheckKind::PlanConsistency, &c),
            ("pass".into(), "Run r-1 has compiled graph".into())
        );
        fs::write(root.join(".oxe/ACTIVE-RUN.json"), "null").unwrap();
        assert_eq!(status(CheckKind::PlanConsistency, &c).0, "error");

        assert_eq!(status(CheckKind::VerifyAcceptance, &c).0, "skip");
        fs::write(root.join(".oxe/VERIFY.md"), "✗ FAIL a\n✓ PASS b\n").unwrap();
        let r = run_check(CheckKind::VerifyAcceptance, Some("x".into()), &c);
        assert_eq!(r["details"], json!({"failed": ["✗ FAIL a"], "passed": 1}));
        fs::write(root.join(".oxe/VERIFY.md"), "✓ PASS a\n").unwrap();
        assert_eq!(status(CheckKind::VerifyAcceptance, &c).0, "pass");
        let c = ctx(&root, Some("r-1"), false);
        fs::create_dir_all(root.join(".oxe/runs/r-1")).unwrap();
        fs::write(
            root.join(".oxe/runs/r-1/verification-manifest.json"),
            r#"{"summary":{"total":3,"fail":1,"error":0}}"#,
        )
        .unwrap();
        assert_eq!(
            status(CheckKind::VerifyAcceptance, &c),
            (
                "fail".into(),
                "Manifest reports 1 failed and 0 errored checks".into()
            )
        );
        fs::write(root.join(".oxe/runs/r-1/verification-manifest.json"), "{}").unwrap();
        assert_eq!(status(CheckKind::VerifyAcceptance, &c).0, "error");
        let bad = ctx(&root, Some("../../x"), false);
        assert_eq!(status(CheckKind::VerifyAcceptance, &bad).0, "error");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn policy_and_evidence() {
        let root = tmp("policy");
        let c = ctx(&root, Some("r-1"), true);
        assert_eq!(status(CheckKind::Policy, &c).0, "pass");
        fs::create_dir_all(root.join(".oxe/execution")).unwrap();
        fs::write(
            root.join(".oxe/execution/GATES.json"),
            r#"[{"gate_id":"g1","scope":"s","status":"pending"}]"#,
        )
        .unwrap();
        let r = run_check(CheckKind::Policy, None, &c);
        assert_eq!(r["details"], json!([{"gate_id": "g1", "scope": "s"}]));
        assert!(r.get("check").is_none());
        fs::write(root.join(".oxe/execution/GATES.json"), "[]").unwrap();
        fs::create_dir_all(root.join(".oxe/runs/r-1")).unwrap();
        fs::write(
            root.join(".oxe/runs/r-1/policy-decisions.json"),
            r#"[{"override":true,"rationale":null}]"#,
        )
        .unwrap();
        assert_eq!(
            status(CheckKind::Policy, &c),
            (
                "fail".into(),
                "1 policy override(s) without rationale".into()
            )
        );

        assert_eq!(
            status(CheckKind::SecurityBaseline, &ctx(&root, Some("r-1"), false)).0,
            "skip"
        );
        assert_eq!(status(CheckKind::SecurityBaseline, &c).0, "skip");
        assert_eq!(status(CheckKind::RuntimeEvidenceIntegrity, &c).0, "skip");
        let ev = root.join(".oxe/evidence/runs/r-1/T1/attempt-1");
        fs::create_dir_all(&ev).unwrap();
        fs::write(ev.join("out.txt"), "token ok").unwrap();
        assert_eq!(status(CheckKind::SecurityBaseline, &c).0, "pass");
        fs::write(ev.join("leak.patch"), "+ auth_token=abcdefghijk").unwrap();
        let r = run_check(CheckKind::SecurityBaseline, None, &c);
        assert_eq!(
            r["details"],
            json!(["leak.patch: matches pattern (?:password|passwd|secret|api[_-]?key|au"])
        );
        assert_eq!(status(CheckKind::RuntimeEvidenceIntegrity, &c).0, "skip");
        fs::write(
            ev.join("index.json"),
            r#"[{"evidence_id":"e1","path":".oxe/evidence/runs/r-1/T1/attempt-1/out.txt"},{"evidence_id":"e2","path":"gone.txt"}]"#,
        )
        .unwrap();
        let r = run_check(CheckKind::RuntimeEvidenceIntegrity, None, &c);
        assert_eq!(r["status"], json!("fail"));
        assert_eq!(r["details"], json!(["Missing file for e2: gone.txt"]));
        fs::write(
            ev.join("index.json"),
            r#"[{"evidence_id":"e1","path":".oxe/evidence/runs/r-1/T1/attempt-1/out.txt"}]"#,
        )
        .unwrap();
        assert_eq!(
            status(CheckKind::RuntimeEvidenceIntegrity, &c),
            (
                "pass".into(),
                "1 evidence artifact(s) across 1 index(es) — all valid".into()
            )
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn summary_counts() {
        let s = |v: &[&str]| v.iter().map(|x| Some(x.to_string())).collect::<Vec<_>>();
        assert_eq!(
            summarize(&s(&["pass", "fail", "skip"])),
            json!({"total": 3, "pass": 1, "fail": 1, "skip": 1, "error": 0, "allPassed": false})
        );
        assert_eq!(summarize(&s(&["pass", "odd"]))["allPassed"], json!(true));
    }
}
