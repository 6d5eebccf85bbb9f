//! The verification manifest of a run or work item, the residual-risk
//! ledger derived from it, the evidence-coverage summary, and their files
//! under `.oxe/runs/<run>/` (`verification-manifest.json`,
//! `residual-risk-ledger.json` plus its legacy twin `residual-risks.json`,
//! `evidence-coverage.json`), all as oxe-cc 1.4.0 builds and writes them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::clock;
use crate::error::{OxeError, OxeResult};
use crate::evidence::replace_file;
use crate::paths::run_dir;
use crate::projection::wire::{write_str, Key, J};
use crate::store;

pub const MANIFEST_FILE: &str = "verification-manifest.json";
pub const RISK_LEDGER_FILE: &str = "residual-risk-ledger.json";
pub const LEGACY_RISK_LEDGER_FILE: &str = "residual-risks.json";
pub const COVERAGE_FILE: &str = "evidence-coverage.json";

/// Parses JSON text that crossed from JS into the borrowed tree.
pub fn parse<'a>(what: &str, text: &'a str) -> OxeResult<J<'a>> {
    J::parse(text).ok_or_else(|| {
        let e = serde_json::from_str::<serde::de::IgnoredAny>(text)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "unsupported JSON".into());
        OxeError::Arg(format!("invalid JSON for {what}: {e}"))
    })
}

/// A JS `Map` received as `[key, value]` entries (lookups by SameValueZero).
#[derive(Debug, Default)]
pub struct EntryMap<'a> {
    map: HashMap<Key<'a>, &'a J<'a>>,
}

impl<'a> EntryMap<'a> {
    /// From `[[key, value]…]` or `null` (an empty Map).
    pub fn from_entries(entries: &'a J<'a>) -> OxeResult<EntryMap<'a>> {
        let mut map = HashMap::new();
        match entries {
            J::Null => {}
            J::Arr(items) => {
                for e in items {
                    match e.as_array() {
                        Some([k, v, ..]) => {
                            map.insert(k.key(), v);
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

    /// `map.get(k)`; `None` (JS `undefined`) never crossed as a key.
    pub fn get(&self, k: Option<&'a J<'a>>) -> Option<&'a J<'a>> {
        k.and_then(|k| self.map.get(&k.key()).copied())
    }
}

fn str_eq(v: Option<&J<'_>>, s: &str) -> bool {
    v.and_then(J::as_str) == Some(s)
}

fn lower_field(r: &J<'_>, key: &str) -> OxeResult<String> {
    match r.get(key) {
        Some(J::Str(s)) => Ok(s.to_lowercase()),
        _ => Err(OxeError::Arg(format!(
            "classifyFailure: result.{key} must be a string"
        ))),
    }
}

/// `classifyFailure(result)`: why a check did not pass (first match wins);
/// `None` for pass and skip.
pub fn classify_failure(r: &J<'_>) -> OxeResult<Option<&'static str>> {
    if !matches!(r, J::Obj(_)) {
        return Err(OxeError::Arg(
            "classifyFailure: result must be a CheckResult object".into(),
        ));
    }
    let status = r.get("status");
    if str_eq(status, "pass") || str_eq(status, "skip") {
        return Ok(None);
    }
    let has_error = r.get("error").is_some_and(J::truthy);
    if has_error {
        let e = lower_field(r, "error")?;
        if e.contains("timeout") || e.contains("timed out") {
            return Ok(Some("timeout"));
        }
    }
    let exit = r.get("exit_code");
    if matches!(exit, Some(J::Null)) && has_error {
        return Ok(Some("env_setup"));
    }
    let stderr = lower_field(r, "stderr")?;
    if stderr.contains("policy") || stderr.contains("denied") {
        return Ok(Some("policy_failure"));
    }
    let exit_is_zero = matches!(exit, Some(J::Num(t)) if t.parse::<f64>() == Ok(0.0));
    if !exit_is_zero && str_eq(r.get("stderr"), "") && str_eq(r.get("stdout"), "") {
        return Ok(Some("evidence_missing"));
    }
    Ok(Some("deterministic"))
}

/// Writes a JSON object member by member, leaving out absent (`undefined`)
/// values as `JSON.stringify` does.
struct Obj<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> Obj<'o> {
    fn open(out: &'o mut String) -> Obj<'o> {
        out.push('{');
        Obj { out, first: true }
    }
    fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(self.out, k);
        self.out.push(':');
        self.out
    }
    fn val(&mut self, k: &str, v: Option<&J<'_>>) {
        if let Some(v) = v {
            v.write_json(self.key(k));
        }
    }
    fn raw(&mut self, k: &str, text: &str) {
        self.key(k).push_str(text);
    }
    fn text(&mut self, k: &str, s: &str) {
        write_str(self.key(k), s);
    }
    fn close(self) {
        self.out.push('}');
    }
}

/// `options[k] ?? default`.
fn opt<'a>(o: &'a J<'a>, k: &str) -> Option<&'a J<'a>> {
    o.get(k).filter(|v| !v.is_null())
}

/// `buildManifest(runId, results, {workItemId, wave, granularity,
/// profile})` with the `evidenceRefs` Map as entries. `run_id` is `None`
/// when the caller passed `undefined`. Returns the manifest's JSON text.
pub fn build_manifest(
    run_id: Option<&J<'_>>,
    results: &J<'_>,
    options: &J<'_>,
    refs: &EntryMap<'_>,
) -> OxeResult<String> {
    let Some(results) = results.as_array() else {
        return Err(OxeError::Arg(
            "buildManifest: results must be an array".into(),
        ));
    };
    if !matches!(options, J::Obj(_) | J::Null) {
        return Err(OxeError::Arg(
            "buildManifest: options must be an object".into(),
        ));
    }
    let mut out = String::with_capacity(256 + 160 * results.len());
    let mut m = Obj::open(&mut out);
    m.text(
        "manifest_id",
        &format!("vm-{}", clock::random_chars(8, clock::HEX)),
    );
    m.val("run_id", run_id);
    m.val(
        "work_item_id",
        Some(opt(options, "workItemId").unwrap_or(&J::Null)),
    );
    m.val("wave", Some(opt(options, "wave").unwrap_or(&J::Null)));
    match opt(options, "granularity") {
        Some(g) => m.val("granularity", Some(g)),
        None => m.text("granularity", "run"),
    }
    match opt(options, "profile") {
        Some(p) => m.val("profile", Some(p)),
        None => m.text("profile", "standard"),
    }
    m.text("compiled_at", &clock::now_iso());
    let (mut pass, mut fail, mut skip, mut error) = (0u64, 0u64, 0u64, 0u64);
    let mut all_passed = true;
    {
        let list = m.key("checks");
        list.push('[');
        for (i, r) in results.iter().enumerate() {
            if !matches!(r, J::Obj(_)) {
                return Err(OxeError::Arg(format!(
                    "buildManifest: results[{i}] must be a CheckResult object"
                )));
            }
            let class = classify_failure(r)?;
            if i > 0 {
                list.push(',');
            }
            let mut c = Obj::open(list);
            c.val("check_id", r.get("check_id"));
            c.val("acceptance_ref", r.get("acceptance_ref"));
            let status = r.get("status");
            c.val("status", status);
            match class {
                Some(cl) => c.text("failure_class", cl),
                None => c.raw("failure_class", "null"),
            }
            match refs.get(r.get("check_id")).filter(|v| !v.is_null()) {
                Some(v) => c.val("evidence_refs", Some(v)),
                None => c.raw("evidence_refs", "[]"),
            }
            c.val("duration_ms", r.get("duration_ms"));
            c.close();
            match status.and_then(J::as_str) {
                Some("pass") => pass += 1,
                Some("fail") => fail += 1,
                Some("skip") => skip += 1,
                Some("error") => error += 1,
                _ => {}
            }
            if !(str_eq(status, "pass") || str_eq(status, "skip")) {
                all_passed = false;
            }
        }
        list.push(']');
    }
    let summary = format!(
        "{{\"total\":{},\"pass\":{pass},\"fail\":{fail},\"skip\":{skip},\"error\":{error},\"all_passed\":{all_passed}}}",
        results.len()
    );
    m.raw("summary", &summary);
    m.close();
    Ok(out)
}

/// The failure classes a profile turns into residual risks.
pub fn profile_required(profile: &str) -> Option<&'static [&'static str]> {
    match profile {
        "quick" => Some(&["deterministic"]),
        "standard" => Some(&["deterministic", "policy_failure"]),
        "critical" => Some(&[
            "deterministic",
            "policy_failure",
            "evidence_missing",
            "flaky",
        ]),
        _ => None,
    }
}

/// JS template rendering of an optional value.
fn template<'b>(v: Option<&'b J<'_>>) -> std::borrow::Cow<'b, str> {
    match v {
        None => std::borrow::Cow::Borrowed("undefined"),
        Some(v) => v.js_string(),
    }
}

/// `buildRiskLedger(runId, manifest)`: reads the manifest's `profile`,
/// `work_item_id` and `checks[{check_id, status, failure_class}]`; returns
/// the ledger's JSON text.
pub fn build_risk_ledger(run_id: Option<&J<'_>>, manifest: &J<'_>) -> OxeResult<String> {
    let Some(checks) = manifest.get("checks").and_then(J::as_array) else {
        return Err(OxeError::Arg(
            "buildRiskLedger: manifest.checks must be an array".into(),
        ));
    };
    let profile = template(manifest.get("profile"));
    let mut out = String::with_capacity(128);
    let mut l = Obj::open(&mut out);
    l.val("run_id", run_id);
    l.text("generated_at", &clock::now_iso());
    {
        let list = l.key("risks");
        list.push('[');
        let mut n = 0;
        for check in checks {
            let status = check.get("status");
            if str_eq(status, "pass") || str_eq(status, "skip") {
                continue;
            }
            let class = match check.get("failure_class") {
                Some(v) if v.truthy() => v,
                _ => continue,
            };
            let Some(required) = profile_required(&profile) else {
                return Err(OxeError::Arg(format!(
                    "buildRiskLedger: unknown verification profile {profile:?}"
                )));
            };
            let Some(class_text) = class.as_str() else {
                continue;
            };
            if !required.contains(&class_text) {
                continue;
            }
            let severity = match class_text {
                "policy_failure" | "deterministic" => "high",
                "evidence_missing" => "medium",
                _ => "low",
            };
            if n > 0 {
                list.push(',');
            }
            n += 1;
            let mut r = Obj::open(list);
            r.text(
                "risk_id",
                &format!("risk-{}", clock::random_chars(6, clock::HEX)),
            );
            r.val("work_item_id", manifest.get("work_item_id"));
            r.val("check_id", check.get("check_id"));
            r.val("failure_class", Some(class));
            r.text(
                "description",
                &format!(
                    "Check {} {}: {}",
                    template(check.get("check_id")),
                    template(status),
                    class_text
                ),
            );
            r.text("severity", severity);
            r.raw("mitigation", "null");
            r.close();
        }
        list.push(']');
    }
    l.close();
    Ok(out)
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

fn num_text(x: f64) -> String {
    if x.is_finite() {
        crate::jsjson::number_to_js_string(x)
    } else {
        "null".into()
    }
}

/// `summarizeEvidenceCoverage(manifest)` from the `evidence_refs.length`
/// of each check (`None` where JS reads `undefined`). Returns JSON text.
pub fn summarize_evidence_coverage(lengths: &[Option<f64>]) -> String {
    let total = lengths.len() as f64;
    let mut with = 0.0;
    let mut refs = 0.0;
    for len in lengths {
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
    format!(
        "{{\"total_checks\":{},\"checks_with_evidence\":{},\"total_evidence_refs\":{},\"coverage_percent\":{}}}",
        num_text(total),
        num_text(with),
        num_text(refs),
        num_text(percent)
    )
}

/// The lengths [`summarize_evidence_coverage`] needs, read from a manifest
/// (arrays and strings have one; `null`/missing refs are a JS TypeError).
pub fn evidence_lengths(manifest: &J<'_>) -> OxeResult<Vec<Option<f64>>> {
    let Some(checks) = manifest.get("checks").and_then(J::as_array) else {
        return Err(OxeError::Arg(
            "summarizeEvidenceCoverage: manifest.checks must be an array".into(),
        ));
    };
    checks
        .iter()
        .map(|c| match c.get("evidence_refs") {
            None | Some(J::Null) => Err(OxeError::Arg(
                "summarizeEvidenceCoverage: manifest.checks[].evidence_refs must be an array"
                    .into(),
            )),
            Some(J::Arr(a)) => Ok(Some(a.len() as f64)),
            Some(J::Str(s)) => Ok(Some(s.encode_utf16().count() as f64)),
            Some(_) => Ok(None),
        })
        .collect()
}

fn file(root: &Path, run_id: &str, name: &str) -> OxeResult<PathBuf> {
    Ok(run_dir(root, run_id)?.join(name))
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
        || crate::jsjson::parse(body).is_ok();
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

/// The save functions take the file's bytes: `JSON.stringify(value, null,
/// 2)` (see [`crate::jsjson::to_pretty`]).
pub fn save_manifest(root: &Path, run_id: &str, pretty: &str) -> OxeResult<()> {
    replace_file(&file(root, run_id, MANIFEST_FILE)?, pretty.as_bytes())?;
    Ok(())
}

pub fn load_manifest(root: &Path, run_id: &str) -> OxeResult<Option<String>> {
    Ok(load_text(&file(root, run_id, MANIFEST_FILE)?))
}

/// Writes the canonical ledger and its legacy twin (same bytes).
pub fn save_risk_ledger(root: &Path, run_id: &str, pretty: &str) -> OxeResult<()> {
    replace_file(&file(root, run_id, RISK_LEDGER_FILE)?, pretty.as_bytes())?;
    replace_file(
        &file(root, run_id, LEGACY_RISK_LEDGER_FILE)?,
        pretty.as_bytes(),
    )?;
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

pub fn save_evidence_coverage(root: &Path, run_id: &str, pretty: &str) -> OxeResult<()> {
    replace_file(&file(root, run_id, COVERAGE_FILE)?, pretty.as_bytes())?;
    Ok(())
}

pub fn load_evidence_coverage(root: &Path, run_id: &str) -> OxeResult<Option<String>> {
    Ok(load_text(&file(root, run_id, COVERAGE_FILE)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsjson;
    use serde_json::{json, Value};

    fn r(over: Value) -> Value {
        let mut base = json!({"check_id": "c1", "acceptance_ref": null, "status": "pass", "stdout": "", "stderr": "", "exit_code": 0, "duration_ms": 10, "error": null});
        for (k, v) in over.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    fn classify(v: &Value) -> OxeResult<Option<&'static str>> {
        let t = jsjson::to_line(v);
        classify_failure(&J::parse(&t).unwrap())
    }

    fn manifest(run: Option<Value>, results: Value, opts: Value, refs: Value) -> Value {
        let (rt, ot, ft) = (
            jsjson::to_line(&results),
            jsjson::to_line(&opts),
            jsjson::to_line(&refs),
        );
        let run_t = run.map(|r| jsjson::to_line(&r));
        let run_j = run_t.as_deref().map(|t| J::parse(t).unwrap());
        let (rj, oj, fj) = (
            J::parse(&rt).unwrap(),
            J::parse(&ot).unwrap(),
            J::parse(&ft).unwrap(),
        );
        let refs = EntryMap::from_entries(&fj).unwrap();
        jsjson::parse(&build_manifest(run_j.as_ref(), &rj, &oj, &refs).unwrap()).unwrap()
    }

    fn ledger(run: Option<Value>, m: &Value) -> OxeResult<Value> {
        let mt = jsjson::to_line(m);
        let run_t = run.map(|r| jsjson::to_line(&r));
        let run_j = run_t.as_deref().map(|t| J::parse(t).unwrap());
        Ok(jsjson::parse(&build_risk_ledger(run_j.as_ref(), &J::parse(&mt).unwrap())?).unwrap())
    }

    fn coverage(m: &Value) -> Value {
        let mt = jsjson::to_line(m);
        let lengths = evidence_lengths(&J::parse(&mt).unwrap()).unwrap();
        jsjson::parse(&summarize_evidence_coverage(&lengths)).unwrap()
    }

    #[test]
    fn classify_branches() {
        assert_eq!(classify(&r(json!({}))).unwrap(), None);
        assert_eq!(classify(&r(json!({"status": "skip"}))).unwrap(), None);
        let c = |o| classify(&r(o)).unwrap().unwrap();
        assert_eq!(
            c(json!({"status": "error", "error": "command timed out", "exit_code": null})),
            "timeout"
        );
        assert_eq!(
            c(
                json!({"status": "fail", "error": "Error: spawnSync x ETIMEDOUT", "exit_code": null})
            ),
            "env_setup"
        );
        assert_eq!(
            c(json!({"status": "error", "error": "ENOENT", "exit_code": null})),
            "env_setup"
        );
        assert_eq!(
            c(json!({"status": "fail", "exit_code": 1, "stderr": "policy denied"})),
            "policy_failure"
        );
        assert_eq!(
            c(json!({"status": "fail", "exit_code": 1})),
            "evidence_missing"
        );
        assert_eq!(
            c(json!({"status": "fail", "exit_code": 1, "stderr": "assertion error at line 5"})),
            "deterministic"
        );
        assert_eq!(
            c(json!({"status": "fail", "exit_code": 0})),
            "deterministic"
        );
        let mut no_exit = r(json!({"status": "fail", "error": "boom"}));
        no_exit.as_object_mut().unwrap().remove("exit_code");
        assert_eq!(classify(&no_exit).unwrap(), Some("evidence_missing"));
        assert!(classify(&json!({"status": "fail"})).is_err());
        assert!(classify(&json!(null)).is_err());
    }

    #[test]
    fn manifest_ledger_coverage() {
        let results = json!([
            r(json!({"check_id": "c1"})),
            r(
                json!({"check_id": "c2", "status": "fail", "exit_code": 1, "stderr": "assertion failed"})
            ),
            r(json!({"check_id": "c3", "status": "skip"})),
            r(json!({"check_id": "c4", "status": "fail", "exit_code": 1})),
        ]);
        let refs = json!([["c1", ["ev-1", "ev-2"]], ["c2", ["ev-3"]]]);
        let m = manifest(
            Some(json!("run-1")),
            results,
            json!({"workItemId": "T1"}),
            refs,
        );
        let keys: Vec<&str> = m.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "manifest_id",
                "run_id",
                "work_item_id",
                "wave",
                "granularity",
                "profile",
                "compiled_at",
                "checks",
                "summary"
            ]
        );
        assert_eq!(m["granularity"], "run");
        assert_eq!(m["profile"], "standard");
        assert_eq!(m["wave"], Value::Null);
        assert_eq!(
            m["summary"],
            json!({"total": 4, "pass": 1, "fail": 2, "skip": 1, "error": 0, "all_passed": false})
        );
        assert_eq!(m["checks"][0]["evidence_refs"], json!(["ev-1", "ev-2"]));
        assert_eq!(m["checks"][2]["evidence_refs"], json!([]));
        let ck: Vec<&str> = m["checks"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(
            ck,
            [
                "check_id",
                "acceptance_ref",
                "status",
                "failure_class",
                "evidence_refs",
                "duration_ms"
            ]
        );
        assert_eq!(m["manifest_id"].as_str().unwrap().len(), 11);
        let l = ledger(Some(json!("run-1")), &m).unwrap();
        let risks = l["risks"].as_array().unwrap();
        assert_eq!(risks.len(), 1);
        assert_eq!(risks[0]["description"], "Check c2 fail: deterministic");
        assert_eq!(risks[0]["severity"], "high");
        assert_eq!(risks[0]["work_item_id"], "T1");
        assert_eq!(risks[0]["mitigation"], Value::Null);
        let mut critical = m.clone();
        critical["profile"] = json!("critical");
        let l = ledger(None, &critical).unwrap();
        assert_eq!(l["risks"][1]["severity"], "medium");
        assert!(l.get("run_id").is_none());
        let mut odd = m.clone();
        odd["profile"] = json!("nope");
        assert!(ledger(None, &odd).is_err());
        assert_eq!(
            coverage(&m),
            json!({"total_checks": 4, "checks_with_evidence": 2, "total_evidence_refs": 3, "coverage_percent": 50})
        );
        let empty = manifest(None, json!([]), Value::Null, Value::Null);
        assert!(empty.get("run_id").is_none());
        assert_eq!(coverage(&empty)["coverage_percent"], 100);
        assert_eq!(summarize_evidence_coverage(&[Some(1.0), None]), "{\"total_checks\":2,\"checks_with_evidence\":1,\"total_evidence_refs\":null,\"coverage_percent\":50}");
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(0.49999999999999994), 0.0);
        assert_eq!(js_round(66.66666666666667), 67.0);
    }

    #[test]
    fn files_round_trip() {
        let root =
            std::env::temp_dir().join(format!("oxe-vm-{}-{}", std::process::id(), clock::now_ms()));
        let m = manifest(
            Some(json!("r")),
            json!([r(json!({}))]),
            Value::Null,
            Value::Null,
        );
        let text = jsjson::to_pretty(&m);
        save_manifest(&root, "r", &text).unwrap();
        let on_disk =
            std::fs::read_to_string(root.join(".oxe/runs/r/verification-manifest.json")).unwrap();
        assert_eq!(on_disk, text);
        assert_eq!(load_manifest(&root, "r").unwrap().unwrap(), text);
        save_risk_ledger(&root, "r", "{\n  \"run_id\": \"r\"\n}").unwrap();
        let a = std::fs::read(root.join(".oxe/runs/r/residual-risk-ledger.json")).unwrap();
        let b = std::fs::read(root.join(".oxe/runs/r/residual-risks.json")).unwrap();
        assert_eq!(a, b);
        std::fs::remove_file(root.join(".oxe/runs/r/residual-risk-ledger.json")).unwrap();
        assert!(load_risk_ledger(&root, "r").unwrap().is_some());
        assert!(load_evidence_coverage(&root, "r").unwrap().is_none());
        std::fs::write(root.join(".oxe/runs/r/evidence-coverage.json"), "{oops").unwrap();
        assert!(load_evidence_coverage(&root, "r").unwrap().is_none());
        assert_eq!(
            save_manifest(&root, "../x", &text).unwrap_err().code(),
            "OXE_E_PATH"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
