//! `compileVerification(spec, plan)`: one acceptance check per SPEC
//! criterion, plus one per PLAN task whose verify command is not already
//! covered, with the check types and evidence types oxe-cc 1.4.0 infers.

use serde_json::{Map, Value};

use crate::clock;
use crate::compiler::graph_compiler::hash_object_text;
use crate::error::{parse_wire, OxeError, OxeResult};
use crate::jsjson::truthy;

/// The check type a command or a "how to verify" text suggests
/// (first match wins, on the lowercased text).
pub fn infer_check_type(text: &str) -> &'static str {
    let v = text.to_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| v.contains(n));
    if any(&["npm test", "jest", "vitest", "node --test"]) {
        "unit"
    } else if any(&["postman", "newman", "integration"]) {
        "integration"
    } else if any(&["smoke", "curl"]) {
        "smoke"
    } else if any(&["eslint", "lint", "oxe-policy"]) {
        "policy"
    } else if any(&["security", "audit", "trivy"]) {
        "security"
    } else {
        "custom"
    }
}

/// The evidence type a check of this type is expected to produce.
pub fn evidence_type_for(check_type: &str) -> &'static str {
    match check_type {
        "unit" => "junit_xml",
        "integration" => "api_output",
        "security" => "security_report",
        "policy" => "log",
        _ => "stdout",
    }
}

fn plan_err(msg: String) -> OxeError {
    OxeError::Plan(format!("compileVerification: {msg}"))
}

fn string_field<'a>(v: &'a Value, what: &str, key: &str) -> OxeResult<&'a str> {
    match v.get(key) {
        Some(Value::String(s)) => Ok(s),
        _ => Err(plan_err(format!("{what}.{key} must be a string"))),
    }
}

/// JS SameValueZero for the primitive values used as ids.
fn same_value_zero(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Null, Value::Null) => true,
        _ => false,
    }
}

/// `aceite.includes(id)`: element membership for arrays, substring search
/// for strings (as JS does); anything else is a malformed plan.
fn aceite_includes(task: &Value, i: usize, id: &Value) -> OxeResult<bool> {
    match task.get("aceite") {
        Some(Value::Array(a)) => Ok(a.iter().any(|r| same_value_zero(r, id))),
        Some(Value::String(s)) => Ok(s.contains(crate::jsjson::js_string(id).as_str())),
        _ => Err(plan_err(format!(
            "plan.tasks[{i}].aceite must be an array of criterion ids"
        ))),
    }
}

fn check(
    id: String,
    ty: &str,
    command: Value,
    evidence: &str,
    acceptance_ref: Option<Value>,
    description: Option<Value>,
) -> Value {
    let mut c = Map::with_capacity(6);
    c.insert("id".into(), Value::String(id));
    c.insert("type".into(), Value::String(ty.into()));
    c.insert("command".into(), command);
    c.insert(
        "evidence_type_expected".into(),
        Value::String(evidence.into()),
    );
    if let Some(r) = acceptance_ref {
        c.insert("acceptance_ref".into(), r);
    }
    if let Some(d) = description {
        c.insert("description".into(), d);
    }
    Value::Object(c)
}

/// Compile the suite. `spec_text`/`plan_text` are the callers'
/// `JSON.stringify` texts (the hashes are taken over them).
pub fn compile(spec_text: &str, plan_text: &str) -> OxeResult<Value> {
    let spec = parse_wire("spec", spec_text)?;
    let plan = parse_wire("plan", plan_text)?;
    let criteria = match spec.get("criteria") {
        Some(Value::Array(c)) => c,
        _ => {
            return Err(plan_err(
                "spec.criteria must be an array of criteria".into(),
            ))
        }
    };
    let tasks = match plan.get("tasks") {
        Some(Value::Array(t)) => t,
        _ => {
            return Err(plan_err(
                "plan.tasks must be an array of parsed tasks".into(),
            ))
        }
    };
    for (i, t) in tasks.iter().enumerate() {
        if !t.is_object() {
            return Err(plan_err(format!("plan.tasks[{i}] must be an object")));
        }
    }

    let mut checks: Vec<Value> = Vec::with_capacity(criteria.len() + tasks.len());
    let mut seen: Vec<Value> = Vec::with_capacity(criteria.len());

    for (ci, criterion) in criteria.iter().enumerate() {
        let what = format!("spec.criteria[{ci}]");
        if !criterion.is_object() {
            return Err(plan_err(format!("{what} must be an object")));
        }
        let id = criterion.get("id").cloned().unwrap_or(Value::Null);
        let mut task = None;
        for (i, t) in tasks.iter().enumerate() {
            if aceite_includes(t, i, &id)? {
                task = Some(t);
                break;
            }
        }
        let how = string_field(criterion, &what, "howToVerify")?;
        let ty = infer_check_type(how);
        let id_text = match &id {
            Value::String(s) => s.to_lowercase(),
            _ => return Err(plan_err(format!("{what}.id must be a string"))),
        };
        let command = match task.and_then(|t| t.get("verifyCommand")) {
            Some(c) if !c.is_null() => c.clone(),
            _ if how.starts_with('#') => Value::Null,
            _ => Value::String(how.to_string()),
        };
        checks.push(check(
            format!("check-{id_text}"),
            ty,
            command,
            evidence_type_for(ty),
            Some(id.clone()),
            criterion.get("criterion").cloned(),
        ));
        seen.push(id);
    }

    for (i, task) in tasks.iter().enumerate() {
        let Some(cmd) = task.get("verifyCommand").filter(|c| truthy(c)) else {
            continue;
        };
        let uncovered: Vec<&Value> = match task.get("aceite") {
            Some(Value::Array(a)) => a
                .iter()
                .filter(|r| !seen.iter().any(|s| same_value_zero(s, r)))
                .collect(),
            _ => {
                return Err(plan_err(format!(
                    "plan.tasks[{i}].aceite must be an array of criterion ids"
                )))
            }
        };
        if uncovered.is_empty()
            && checks
                .iter()
                .any(|c| c.get("command").is_some_and(|c| strict_equals(c, cmd)))
        {
            continue;
        }
        let Value::String(cmd_text) = cmd else {
            return Err(plan_err(format!(
                "plan.tasks[{i}].verifyCommand must be a string"
            )));
        };
        let id_text = match task.get("id") {
            Some(Value::String(s)) => s.clone(),
            _ => return Err(plan_err(format!("plan.tasks[{i}].id must be a string"))),
        };
        checks.push(check(
            format!("check-task-{}", id_text.to_lowercase()),
            infer_check_type(cmd_text),
            cmd.clone(),
            "stdout",
            Some(
                uncovered
                    .first()
                    .map(|v| (*v).clone())
                    .unwrap_or(Value::Null),
            ),
            Some(Value::String(format!("Verify command for task {id_text}"))),
        ));
    }

    let mut suite = Map::with_capacity(4);
    suite.insert("checks".into(), Value::Array(checks));
    suite.insert("compiled_at".into(), Value::String(clock::now_iso()));
    suite.insert(
        "spec_hash".into(),
        Value::String(hash_object_text(spec_text)),
    );
    suite.insert(
        "plan_hash".into(),
        Value::String(hash_object_text(plan_text)),
    );
    Ok(Value::Object(suite))
}

/// JS `===` on JSON values (objects and arrays are never equal: distinct
/// identities after crossing the boundary).
fn strict_equals(a: &Value, b: &Value) -> bool {
    same_value_zero(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn infers_types_in_order() {
        assert_eq!(infer_check_type("NPM TEST -- --grep x"), "unit");
        assert_eq!(infer_check_type("newman run"), "integration");
        assert_eq!(infer_check_type("curl http://x"), "smoke");
        assert_eq!(infer_check_type("npm run lint"), "policy");
        assert_eq!(infer_check_type("npm audit"), "security");
        assert_eq!(infer_check_type("make"), "custom");
        assert_eq!(evidence_type_for("unit"), "junit_xml");
        assert_eq!(evidence_type_for("smoke"), "stdout");
    }

    #[test]
    fn compiles_criteria_and_uncovered_tasks() {
        let spec = json!({"objective": "q", "criteria": [
            {"id": "A1", "criterion": "Tests pass", "howToVerify": "npm test"},
            {"id": "A2", "criterion": "No lint", "howToVerify": "npm run lint"},
            {"id": "A3", "criterion": "Manual", "howToVerify": "# look at it"},
        ]});
        let plan = json!({"tasks": [
            {"id": "T1", "verifyCommand": "npm test", "aceite": ["A1"]},
            {"id": "T2", "verifyCommand": null, "aceite": ["A2"]},
            {"id": "T3", "verifyCommand": "node --test x", "aceite": ["A1", "A9"]},
            {"id": "T4", "verifyCommand": "npm test", "aceite": ["A2"]},
        ]});
        let st = crate::jsjson::to_line(&spec);
        let pt = crate::jsjson::to_line(&plan);
        let s = compile(&st, &pt).unwrap();
        let checks = s["checks"].as_array().unwrap();
        let ids: Vec<&str> = checks.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["check-a1", "check-a2", "check-a3", "check-task-t3"]);
        assert_eq!(checks[0]["command"], "npm test");
        assert_eq!(checks[0]["evidence_type_expected"], "junit_xml");
        assert_eq!(checks[1]["command"], "npm run lint");
        assert_eq!(checks[2]["command"], Value::Null);
        assert_eq!(checks[3]["acceptance_ref"], "A9");
        assert_eq!(checks[3]["description"], "Verify command for task T3");
        assert_eq!(s["spec_hash"], hash_object_text(&st));
        assert_eq!(s["plan_hash"].as_str().unwrap().len(), 12);
    }

    #[test]
    fn malformed_inputs_are_plan_errors() {
        for (spec, plan) in [
            ("{}", r#"{"tasks":[]}"#),
            (r#"{"criteria":[]}"#, "{}"),
            (r#"{"criteria":[{"id":"A1"}]}"#, r#"{"tasks":[]}"#),
            (
                r#"{"criteria":[{"id":1,"howToVerify":"x"}]}"#,
                r#"{"tasks":[]}"#,
            ),
            (
                r#"{"criteria":[]}"#,
                r#"{"tasks":[{"id":"T","verifyCommand":"x"}]}"#,
            ),
            (r#"{"criteria":[]}"#, r#"{"tasks":[3]}"#),
        ] {
            let e = compile(spec, plan).unwrap_err();
            assert_eq!(e.code(), "OXE_E_PLAN", "{spec} {plan}");
        }
        assert_eq!(compile("nope", "{}").unwrap_err().code(), "OXE_E_JSON");
    }
}
