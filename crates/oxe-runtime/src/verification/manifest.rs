//! The verification manifest of a run or work item, the residual-risk
//! ledger derived from it, the evidence-coverage summary, and their files
//! under `.oxe/runs/<run>/` (`verification-manifest.json`,
//! `residual-risk-ledger.json` plus its legacy twin `residual-risks.json`,
//! `evidence-coverage.json`), all as oxe-cc 1.4.0 builds and writes them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::evidence::{replace_file, template};
use crate::jsjson::{self, truthy};
use crate::paths::run_dir;
use crate::reducers::Key;
use crate::store;

pub const MANIFEST_FILE: &str = "verification-manifest.json";
pub const RISK_LEDGER_FILE: &str = "residual-risk-ledger.json";
pub const LEGACY_RISK_LEDGER_FILE: &str = "residual-risks.json";
pub const COVERAGE_FILE: &str = "evidence-coverage.json";

/// A JS `Map` received as `[key, value]` entries (lookups by SameValueZero).
#[derive(Debug, Default)]
pub struct EntryMap {
    map: HashMap<Key, Value>,
}

impl EntryMap {
    pub fn from_entries(entries: &Value) -> OxeResult<EntryMap> {
        let mut map = HashMap::new();
        match entries {
            Value::Null => {}
            Value::Array(items) => {
                for e in items {
                    match e.as_array().map(|p| p.as_slice()) {
                        Some([k, v]) => {
                            map.insert(Key::of(k), v.clone());
                        }
                        Some([k]) => {
                            map.insert(Key::of(k), Value::Null);
                        }
                        _ => {
                            return Err(OxeError::Arg(
                                "evidenceRefs must be a Map of check id to evidence ids".into(),
                            ))
                        }
                    }
                }
            }
            _ => {
                return Err(OxeError::Arg(
                    "evidenceRefs must be a Map of check id to evidence ids".into(),
                ))
            }
        }
        Ok(EntryMap { map })
    }

    pub fn insert(&mut self, k: &Value, v: Value) {
        self.map.insert(Key::of(k), v);
    }

    /// `map.get(k)`; `None` (JS `undefined`) never crossed as a key.
    pub fn get(&self, k: Option<&Value>) -> Option<&Value> {
        k.and_then(|k| self.map.get(&Key::of(k)))
    }
}

fn str_eq(v: Option<&Value>, s: &str) -> bool {
    matches!(v, Some(Value::String(x)) if x == s)
}

fn lower_field(r: &Map<String, Value>, key: &str) -> OxeResult<String> {
    match r.get(key) {
        Some(Value::String(s)) => Ok(s.to_lowercase()),
        _ => Err(OxeError::Arg(format!(
            "classifyFailure: result.{key} must be a string"
        ))),
    }
}

/// `classifyFailure(result)`: why a check did not pass (first match wins);
/// `None` for pass and skip.
pub fn classify_failure(result: &Value) -> OxeResult<Option<&'static str>> {
    let Some(r) = result.as_object() else {
        return Err(OxeError::Arg(
            "classifyFailure: result must be a CheckResult object".into(),
        ));
    };
    let status = r.get("status");
    if str_eq(status, "pass") || str_eq(status, "skip") {
        return Ok(None);
    }
    let error = r.get("error");
    let has_error = error.is_some_and(truthy);
    if has_error {
        let e = lower_field(r, "error")?;
        if e.contains("timeout") || e.contains("timed out") {
            return Ok(Some("timeout"));
        }
    }
    let exit = r.get("exit_code");
    if matches!(exit, Some(Value::Null)) && has_error {
        return Ok(Some("env_setup"));
    }
    let stderr = lower_field(r, "stderr")?;
    if stderr.contains("policy") || stderr.contains("denied") {
        return Ok(Some("policy_failure"));
    }
    let exit_is_zero = matches!(exit, Some(Value::Number(n)) if n.as_f64() == Some(0.0));
    if !exit_is_zero && str_eq(r.get("stderr"), "") && str_eq(r.get("stdout"), "") {
        return Ok(Some("evidence_missing"));
    }
    Ok(Some("deterministic"))
}

fn opt_or<'a>(o: &'a Map<String, Value>, k: &str, default: &'a Value) -> &'a Value {
    match o.get(k) {
        None | Some(Value::Null) => default,
        Some(v) => v,
    }
}

/// `buildManifest(runId, results, {workItemId, wave, granularity,
/// profile})` with the `evidenceRefs` Map passed as entries. `run_id` is
/// `None` when the caller passed `undefined`.
pub fn build_manifest(
    run_id: Option<&Value>,
    results: &[Value],
    options: &Value,
    evidence_refs: &EntryMap,
) -> OxeResult<Value> {
    let empty = Map::new();
    let o = match options {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => {
            return Err(OxeError::Arg(
                "buildManifest: options must be an object".into(),
            ))
        }
    };
    let null = Value::Null;
    let profile = opt_or(o, "profile", &Value::String("standard".into())).clone();
    let granularity = opt_or(o, "granularity", &Value::String("run".into())).clone();

    let mut checks = Vec::with_capacity(results.len());
    let (mut pass, mut fail, mut skip, mut error) = (0u64, 0u64, 0u64, 0u64);
    let mut all_passed = true;
    for (i, r) in results.iter().enumerate() {
        let Some(m) = r.as_object() else {
            return Err(OxeError::Arg(format!(
                "buildManifest: results[{i}] must be a CheckResult object"
            )));
        };
        let class = classify_failure(r)?;
        let mut c = Map::with_capacity(6);
        if let Some(v) = m.get("check_id") {
            c.insert("check_id".into(), v.clone());
        }
        if let Some(v) = m.get("acceptance_ref") {
            c.insert("acceptance_ref".into(), v.clone());
        }
        let status = m.get("status");
        if let Some(v) = status {
            c.insert("status".into(), v.clone());
        }
        c.insert(
            "failure_class".into(),
            class.map(|s| Value::String(s.into())).unwrap_or(Value::Null),
        );
        let refs = match evidence_refs.get(m.get("check_id")) {
            None | Some(Value::Null) => Value::Array(Vec::new()),
            Some(v) => v.clone(),
        };
        c.insert("evidence_refs".into(), refs);
        if let Some(v) = m.get("duration_ms") {
            c.insert("duration_ms".into(), v.clone());
        }
        match status {
            Some(Value::String(s)) if s == "pass" => pass += 1,
            Some(Value::String(s)) if s == "fail" => fail += 1,
            Some(Value::String(s)) if s == "skip" => skip += 1,
            Some(Value::String(s)) if s == "error" => error += 1,
            _ => {}
        }
        if !(str_eq(status, "pass") || str_eq(status, "skip")) {
            all_passed = false;
        }
        checks.push(Value::Object(c));
    }
    let mut summary = Map::with_capacity(6);
    summary.insert("total".into(), Value::from(checks.len() as u64));
    summary.insert("pass".into(), Value::from(pass));
    summary.insert("fail".into(), Value::from(fail));
    summary.insert("skip".into(), Value::from(skip));
    summary.insert("error".into(), Value::from(error));
    summary.insert("all_passed".into(), Value::Bool(all_passed));

    let mut m = Map::with_capacity(9);
    m.insert(
        "manifest_id".into(),
        Value::String(format!("vm-{}", clock::random_chars(8, clock::HEX))),
    );
    if let Some(r) = run_id {
        m.insert("run_id".into(), r.clone());
    }
    m.insert("work_item_id".into(), opt_or(o, "workItemId", &null).clone());
    m.insert("wave".into(), opt_or(o, "wave", &null).clone());
    m.insert("granularity".into(), granularity);
    m.insert("profile".into(), profile);
    m.insert("compiled_at".into(), Value::String(clock::now_iso()));
    m.insert("checks".into(), Value::Array(checks));
    m.insert("summary".into(), Value::Object(summary));
    Ok(Value::Object(m))
}

fn manifest_checks<'a>(what: &str, manifest: &'a Value) -> OxeResult<&'a Vec<Value>> {
    match manifest.get("checks") {
        Some(Value::Array(c)) => Ok(c),
        _ => Err(OxeError::Arg(format!(
            "{what}: manifest.checks must be an array"
        ))),
    }
}

/// The failure classes a profile turns into residual risks.
pub fn profile_required(profile: &str) -> Option<&'static [&'static str]> {
    match profile {
        "quick" => Some(&["deterministic"]),
        "standard" => Some(&["deterministic", "policy_failure"]),
        "critical" => Some(&["deterministic", "policy_failure", "evidence_missing", "flaky"]),
        _ => None,
    }
}

/// `buildRiskLedger(runId, manifest)`.
pub fn build_risk_ledger(run_id: Option<&Value>, manifest: &Value) -> OxeResult<Value> {
    let checks = manifest_checks("buildRiskLedger", manifest)?;
    let profile = template(manifest.get("profile"));
    let mut risks = Vec::new();
    for check in checks {
        let status = check.get("status");
        if str_eq(status, "pass") || str_eq(status, "skip") {
            continue;
        }
        let class = match check.get("failure_class") {
            Some(v) if truthy(v) => v,
            _ => continue,
        };
        let Some(required) = profile_required(&profile) else {
            return Err(OxeError::Arg(format!(
                "buildRiskLedger: unknown verification profile {profile:?}"
            )));
        };
        let Value::String(class_text) = class else {
            continue;
        };
        if !required.contains(&class_text.as_str()) {
            continue;
        }
        let severity = match class_text.as_str() {
            "policy_failure" | "deterministic" => "high",
            "evidence_missing" => "medium",
            _ => "low",
        };
        let mut r = Map::with_capacity(7);
        r.insert(
            "risk_id".into(),
            Value::String(format!("risk-{}", clock::random_chars(6, clock::HEX))),
        );
        if let Some(v) = manifest.get("work_item_id") {
            r.insert("work_item_id".into(), v.clone());
        }
        if let Some(v) = check.get("check_id") {
            r.insert("check_id".into(), v.clone());
        }
        r.insert("failure_class".into(), class.clone());
        r.insert(
            "description".into(),
            Value::String(format!(
                "Check {} {}: {}",
                template(check.get("check_id")),
                template(status),
                class_text
            )),
        );
        r.insert("severity".into(), Value::String(severity.into()));
        r.insert("mitigation".into(), Value::Null);
        risks.push(Value::Object(r));
    }
    let mut l = Map::with_capacity(3);
    if let Some(r) = run_id {
        l.insert("run_id".into(), r.clone());
    }
    l.insert("generated_at".into(), Value::String(clock::now_iso()));
    l.insert("risks".into(), Value::Array(risks));
    Ok(Value::Object(l))
}

/// JS `x.length` for the values a manifest holds: `Some(n)` for arrays and
/// strings (UTF-16 units), `None` (undefined) for other values; `null` and
/// a missing value throw in JS, so they are errors.
fn js_length(v: Option<&Value>) -> OxeResult<Option<f64>> {
    match v {
        None | Some(Value::Null) => Err(OxeError::Arg(
            "summarizeEvidenceCoverage: manifest.checks[].evidence_refs must be an array".into(),
        )),
        Some(Value::Array(a)) => Ok(Some(a.len() as f64)),
        Some(Value::String(s)) => Ok(Some(s.encode_utf16().count() as f64)),
        Some(_) => Ok(None),
    }
}

/// JS `Math.round` for finite values.
pub fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let f = x.floor();
    if x - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

fn num(x: f64) -> Value {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// `summarizeEvidenceCoverage(manifest)`.
pub fn summarize_evidence_coverage(manifest: &Value) -> OxeResult<Value> {
    let checks = manifest_checks("summarizeEvidenceCoverage", manifest)?;
    let total = checks.len() as f64;
    let mut with = 0.0;
    let mut refs = 0.0;
    for c in checks {
        let len = js_length(c.get("evidence_refs"))?;
        if len.is_some_and(|n| n > 0.0) {
            with += 1.0;
        }
        refs += len.unwrap_or(f64::NAN);
    }
    let percent = if total == 0.0 {
        100.0
    } else {
        js_round(with / total * 100.0)
    };
    let mut s = Map::with_capacity(4);
    s.insert("total_checks".into(), num(total));
    s.insert("checks_with_evidence".into(), num(with));
    s.insert("total_evidence_refs".into(), num(refs));
    s.insert("coverage_percent".into(), num(percent));
    Ok(Value::Object(s))
}

fn file(root: &Path, run_id: &str, name: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join(name))
}

fn save(path: &Path, v: &Value) -> OxeResult<()> {
    replace_file(path, jsjson::to_pretty(v).as_bytes())?;
    Ok(())
}

/// The JSON text of `path` if it exists and parses; a corrupt file is moved
/// aside and reported. The text is handed to JS unchanged, so `JSON.parse`
/// there sees exactly what 1.4.0 would.
pub fn load_text(path: &Path) -> Option<String> {
    let text = match store::read_text(path) {
        Ok(Some(t)) => t,
        Ok(None) => return None,
        Err(e) => {
            store::report(store::Diagnostic::new(
                store::W_READ_FAILED,
                path,
                format!("cannot read {}: {e}", path.display()),
            ));
            return None;
        }
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let valid = serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok()
        || jsjson::parse(body).is_ok();
    if !valid {
        store::quarantine(path, "invalid JSON");
        return None;
    }
    Some(if body.len() == text.len() {
        text
    } else {
        body.to_string()
    })
}

pub fn save_manifest(root: &Path, run_id: &str, manifest: &Value) -> OxeResult<()> {
    save(&file(root, run_id, MANIFEST_FILE)?, manifest)
}

pub fn load_manifest(root: &Path, run_id: &str) -> OxeResult<Option<String>> {
    Ok(load_text(&file(root, run_id, MANIFEST_FILE)?))
}

/// Writes the canonical ledger and its legacy twin (same bytes).
pub fn save_risk_ledger(root: &Path, run_id: &str, ledger: &Value) -> OxeResult<()> {
    let text = jsjson::to_pretty(ledger);
    replace_file(&file(root, run_id, RISK_LEDGER_FILE)?, text.as_bytes())?;
    replace_file(&file(root, run_id, LEGACY_RISK_LEDGER_FILE)?, text.as_bytes())?;
    Ok(())
}

/// The canonical ledger when it exists, else the legacy twin.
pub fn load_risk_ledger(root: &Path, run_id: &str) -> OxeResult<Option<String>> {
    let canonical = file(root, run_id, RISK_LEDGER_FILE)?;
    let p = if canonical.exists() {
        canonical
    } else {
        file(root, run_id, LEGACY_RISK_LEDGER_FILE)?
    };
    Ok(load_text(&p))
}

pub fn save_evidence_coverage(root: &Path, run_id: &str, coverage: &Value) -> OxeResult<()> {
    save(&file(root, run_id, COVERAGE_FILE)?, coverage)
}

pub fn load_evidence_coverage(root: &Path, run_id: &str) -> OxeResult<Option<String>> {
    Ok(load_text(&file(root, run_id, COVERAGE_FILE)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(over: Value) -> Value {
        let mut base = json!({"check_id": "c1", "acceptance_ref": null, "status": "pass", "stdout": "", "stderr": "", "exit_code": 0, "duration_ms": 10, "error": null});
        for (k, v) in over.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    #[test]
    fn classify_branches() {
        assert_eq!(classify_failure(&r(json!({}))).unwrap(), None);
        assert_eq!(classify_failure(&r(json!({"status": "skip"}))).unwrap(), None);
        let c = |o| classify_failure(&r(o)).unwrap().unwrap();
        assert_eq!(c(json!({"status": "error", "error": "command timed out", "exit_code": null})), "timeout");
        assert_eq!(c(json!({"status": "fail", "error": "Error: spawnSync x ETIMEDOUT", "exit_code": null})), "env_setup");
        assert_eq!(c(json!({"status": "error", "error": "ENOENT", "exit_code": null})), "env_setup");
        assert_eq!(c(json!({"status": "fail", "exit_code": 1, "stderr": "policy denied"})), "policy_failure");
        assert_eq!(c(json!({"status": "fail", "exit_code": 1})), "evidence_missing");
        assert_eq!(c(json!({"status": "fail", "exit_code": 1, "stderr": "assertion error at line 5"})), "deterministic");
        assert_eq!(c(json!({"status": "fail", "exit_code": 0})), "deterministic");
        let mut no_exit = r(json!({"status": "fail", "error": "boom"}));
        no_exit.as_object_mut().unwrap().remove("exit_code");
        assert_eq!(classify_failure(&no_exit).unwrap(), Some("evidence_missing"));
        assert!(classify_failure(&json!({"status": "fail"})).is_err());
    }

    #[test]
    fn manifest_ledger_coverage() {
        let results = vec![
            r(json!({"check_id": "c1"})),
            r(json!({"check_id": "c2", "status": "fail", "exit_code": 1, "stderr": "assertion failed"})),
            r(json!({"check_id": "c3", "status": "skip"})),
            r(json!({"check_id": "c4", "status": "fail", "exit_code": 1})),
        ];
        let refs = EntryMap::from_entries(&json!([["c1", ["ev-1", "ev-2"]], ["c2", ["ev-3"]]])).unwrap();
        let m = build_manifest(Some(&json!("run-1")), &results, &json!({"workItemId": "T1"}), &refs).unwrap();
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            ["manifest_id", "run_id", "work_item_id", "wave", "granularity", "profile", "compiled_at", "checks", "summary"]
        );
        assert_eq!(m["granularity"], "run");
        assert_eq!(m["profile"], "standard");
        assert_eq!(m["wave"], Value::Null);
        assert_eq!(m["summary"], json!({"total": 4, "pass": 1, "fail": 2, "skip": 1, "error": 0, "all_passed": false}));
        assert_eq!(m["checks"][0]["evidence_refs"], json!(["ev-1", "ev-2"]));
        assert_eq!(m["checks"][2]["evidence_refs"], json!([]));
        assert_eq!(m["manifest_id"].as_str().unwrap().len(), 11);
        let l = build_risk_ledger(Some(&json!("run-1")), &m).unwrap();
        let risks = l["risks"].as_array().unwrap();
        assert_eq!(risks.len(), 1);
        assert_eq!(risks[0]["description"], "Check c2 fail: deterministic");
        assert_eq!(risks[0]["severity"], "high");
        assert_eq!(risks[0]["work_item_id"], "T1");
        let mut critical = m.clone();
        critical["profile"] = json!("critical");
        let l = build_risk_ledger(None, &critical).unwrap();
        assert_eq!(l["risks"][1]["severity"], "medium");
        assert!(l.get("run_id").is_none());
        let mut odd = m.clone();
        odd["profile"] = json!("nope");
        assert!(build_risk_ledger(None, &odd).is_err());
        let cov = summarize_evidence_coverage(&m).unwrap();
        assert_eq!(cov, json!({"total_checks": 4, "checks_with_evidence": 2, "total_evidence_refs": 3, "coverage_percent": 50}));
        let empty = build_manifest(None, &[], &Value::Null, &EntryMap::default()).unwrap();
        assert_eq!(summarize_evidence_coverage(&empty).unwrap()["coverage_percent"], 100);
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(0.49999999999999994), 0.0);
        assert_eq!(js_round(66.66666666666667), 67.0);
    }

    #[test]
    fn files_round_trip() {
        let root = std::env::temp_dir().join(format!("oxe-vm-{}-{}", std::process::id(), clock::now_ms()));
        let m = build_manifest(Some(&json!("r")), &[r(json!({}))], &Value::Null, &EntryMap::default()).unwrap();
        save_manifest(&root, "r", &m).unwrap();
        let text = std::fs::read_to_string(root.join(".oxe/runs/r/verification-manifest.json")).unwrap();
        assert_eq!(text, jsjson::to_pretty(&m));
        assert_eq!(load_manifest(&root, "r").unwrap().unwrap(), text);
        let l = build_risk_ledger(Some(&json!("r")), &m).unwrap();
        save_risk_ledger(&root, "r", &l).unwrap();
        let a = std::fs::read(root.join(".oxe/runs/r/residual-risk-ledger.json")).unwrap();
        let b = std::fs::read(root.join(".oxe/runs/r/residual-risks.json")).unwrap();
        assert_eq!(a, b);
        std::fs::remove_file(root.join(".oxe/runs/r/residual-risk-ledger.json")).unwrap();
        assert!(load_risk_ledger(&root, "r").unwrap().is_some());
        assert!(load_evidence_coverage(&root, "r").unwrap().is_none());
        std::fs::write(root.join(".oxe/runs/r/evidence-coverage.json"), "{oops").unwrap();
        assert!(load_evidence_coverage(&root, "r").unwrap().is_none());
        assert_eq!(save_manifest(&root, "../x", &m).unwrap_err().code(), "OXE_E_PATH");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
