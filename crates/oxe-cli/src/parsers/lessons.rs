//! Lessons metrics (`.oxe/lessons-metrics.json`): `parseLessonsMetrics`,
//! and the decisions behind `updateLessonMetric` and
//! `deprecateLowEffectiveness`.
//!
//! The two updaters return JS objects that keep the identity of untouched
//! lessons, so the JS glue builds the objects and Rust decides what
//! changes: which lesson, whether the cycle is new, the new success rate,
//! whether the lesson becomes deprecated.

use serde_json::{json, Value};

use crate::jstext;

/// `parseLessonsMetrics(json)`: `data.lessons` when it is an array, else
/// `[]` (also for invalid JSON). `text` is `String(json || '{}')`.
pub fn parse_lessons_metrics(text: &str) -> Value {
    match oxe_runtime::jsjson::parse(text) {
        Ok(Value::Object(map)) => match map.get("lessons") {
            Some(v @ Value::Array(_)) => v.clone(),
            _ => json!([]),
        },
        _ => json!([]),
    }
}

/// JS `ToNumber` of a JSON value.
pub fn to_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => jstext::to_number(s),
        Value::Array(a) => match a.as_slice() {
            [] => 0.0,
            [one] if !one.is_array() && !one.is_object() => jstext::to_number(&jsjson_string(one)),
            _ => f64::NAN,
        },
        Value::Object(_) => f64::NAN,
    }
}

fn jsjson_string(v: &Value) -> String {
    oxe_runtime::jsjson::js_string(v)
}

/// Strict equality of two JSON values as `===` sees them after a JSON
/// round trip (objects and arrays are never equal: they are new objects).
fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => a == b,
    }
}

/// The decision of `updateLessonMetric(metrics, lessonId, outcome)`.
/// `lessons` are the lessons (JSON), `lesson_id` is `{"id": …}` (no key
/// for `undefined`), `outcome` the outcome object.
///
/// Returns `{index}` = -1 when no lesson has that id; otherwise
/// `{index, addCycle, successRate, deprecate}`. Errors mirror the
/// `TypeError`s of 1.4.0 (a lesson that is not an object, missing
/// `applied_cycles`).
pub fn update_lesson_metric(
    lessons: &Value,
    lesson_id: &Value,
    outcome: &Value,
) -> Result<Value, String> {
    let list = lessons.as_array().map(Vec::as_slice).unwrap_or_default();
    let want = lesson_id.get("id");
    let mut index = None;
    for (i, l) in list.iter().enumerate() {
        if l.is_null() {
            return Err("updateLessonMetric: a lesson is null".into());
        }
        let same = match (l.as_object().and_then(|o| o.get("id")), want) {
            (None, None) => true,
            (Some(a), Some(b)) => strict_eq(a, b),
            _ => false,
        };
        if same {
            index = Some(i);
            break;
        }
    }
    let Some(index) = index else {
        return Ok(json!({"index": -1}));
    };
    let lesson = &list[index];
    let no_outcomes: &[Value] = &[];
    let (outcomes_len, previous) = match lesson.get("outcomes") {
        Some(Value::Array(a)) => (a.len(), a.as_slice()),
        // a string is spread into its characters, none of them complete
        Some(Value::String(s)) => (s.chars().count(), no_outcomes),
        Some(v) if jstext_truthy(v) => {
            return Err("updateLessonMetric: lesson.outcomes is not iterable".into())
        }
        _ => (0, no_outcomes),
    };
    let cycle = outcome.get("cycle");
    let add_cycle = match lesson.get("applied_cycles") {
        Some(Value::Array(a)) => !a.iter().any(|c| match cycle {
            Some(cy) => strict_eq(c, cy),
            None => false,
        }),
        Some(Value::String(s)) => {
            let needle = cycle.map_or_else(|| "undefined".to_string(), jsjson_string);
            !s.contains(&needle)
        }
        _ => {
            return Err(format!(
                "updateLessonMetric: lesson {} has no applied_cycles array",
                lesson.get("id").map(jsjson_string).unwrap_or_default()
            ))
        }
    };
    let all: Vec<&Value> = previous.iter().chain(std::iter::once(outcome)).collect();
    if all.iter().any(|o| o.is_null()) {
        return Err("updateLessonMetric: an outcome is null".into());
    }
    let total = outcomes_len + 1;
    let successes = all
        .iter()
        .filter(|o| o.get("verify_status") == Some(&Value::String("complete".into())))
        .count();
    let rate = jstext::js_round(successes as f64 / total as f64 * 100.0) / 100.0;
    let threshold = match lesson.get("deprecation_threshold") {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.5),
        _ => 0.5,
    };
    Ok(json!({
        "index": index,
        "addCycle": add_cycle,
        "successRate": rate,
        "deprecate": rate < threshold && total >= 3,
    }))
}

fn jstext_truthy(v: &Value) -> bool {
    oxe_runtime::jsjson::truthy(v)
}

/// The decision of `deprecateLowEffectiveness(metrics, threshold,
/// minObservations)`: the indexes of the lessons to mark deprecated.
/// `threshold` / `min_observations` are `None` when the caller passed
/// `undefined` (defaults 0.5 and 3).
pub fn lessons_to_deprecate(
    lessons: &Value,
    threshold: Option<&Value>,
    min_observations: Option<&Value>,
) -> Result<Vec<usize>, String> {
    let threshold = threshold.map_or(0.5, to_number);
    let min_obs = min_observations.map_or(3.0, to_number);
    let Some(list) = lessons.as_array() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, l) in list.iter().enumerate() {
        if l.is_null() {
            return Err("deprecateLowEffectiveness: a lesson is null".into());
        }
        let observations = match l.get("outcomes") {
            Some(Value::Array(a)) => a.len() as f64,
            Some(Value::String(s)) if !s.is_empty() => s.encode_utf16().count() as f64,
            Some(v) if jstext_truthy(v) => f64::NAN,
            _ => 0.0,
        };
        let rate = match l.get("success_rate") {
            Some(Value::Number(n)) => n.as_f64().unwrap_or(1.0),
            _ => 1.0,
        };
        let deprecated = l.get("status") == Some(&Value::String("deprecated".into()));
        if !deprecated && observations >= min_obs && rate < threshold {
            out.push(i);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lessons() -> Value {
        json!([
            {"id": "L-01", "applied_cycles": ["C-03"], "outcomes": [{"cycle": "C-03", "verify_status": "complete"}], "success_rate": 1, "status": "active"},
            {"id": "L-02", "applied_cycles": ["C-04"], "outcomes": [{"verify_status": "failed"}, {"verify_status": "failed"}, {"verify_status": "complete"}], "success_rate": 0.33, "status": "active", "deprecation_threshold": 0.5}
        ])
    }

    #[test]
    fn parse_metrics() {
        assert_eq!(
            parse_lessons_metrics(r#"{"lessons":[{"id":"L-01"}]}"#),
            json!([{"id": "L-01"}])
        );
        assert_eq!(parse_lessons_metrics("not json {{"), json!([]));
        assert_eq!(parse_lessons_metrics("null"), json!([]));
        assert_eq!(parse_lessons_metrics(r#"{"lessons":{}}"#), json!([]));
    }

    #[test]
    fn update_decisions() {
        let r = update_lesson_metric(
            &lessons(),
            &json!({"id": "L-01"}),
            &json!({"cycle": "C-09", "verify_status": "failed"}),
        )
        .expect("ok");
        assert_eq!(
            r,
            json!({"index": 0, "addCycle": true, "successRate": 0.5, "deprecate": false})
        );
        let r = update_lesson_metric(
            &lessons(),
            &json!({"id": "L-02"}),
            &json!({"cycle": "C-04", "verify_status": "failed"}),
        )
        .expect("ok");
        assert_eq!(
            r,
            json!({"index": 1, "addCycle": false, "successRate": 0.25, "deprecate": true})
        );
        let r = update_lesson_metric(&lessons(), &json!({"id": "L-99"}), &json!({})).expect("ok");
        assert_eq!(r, json!({"index": -1}));
        assert!(
            update_lesson_metric(&json!([{"id": "x"}]), &json!({"id": "x"}), &json!({})).is_err()
        );
    }

    #[test]
    fn deprecation_picks() {
        assert_eq!(lessons_to_deprecate(&lessons(), None, None), Ok(vec![1]));
        assert_eq!(
            lessons_to_deprecate(&lessons(), Some(&json!(0.5)), Some(&json!(5))),
            Ok(vec![])
        );
        assert_eq!(lessons_to_deprecate(&json!("x"), None, None), Ok(vec![]));
    }
}
