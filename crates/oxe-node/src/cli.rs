//! cli binding: the `oxe-cc` command line (`runCli`) and the SDK's own
//! readers (PLAN/SPEC/STATE/… parsers, package metadata, lessons metrics).
//! Parser results cross as JSON text; `lib/sdk/` turns them into objects.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use napi_derive::napi;
use oxe_cli::parsers::{confidence, fidelity, hypotheses, lessons, plan, spec, state};
use oxe_cli::{run_cli, sdk, CliEnv};
use oxe_runtime::error::parse_wire;
use oxe_runtime::jsjson;
use oxe_runtime::OxeError;
use serde_json::Value;

use crate::guard::guard;

/// `runCli(argv, cwd, env, isTty, packageRoot?)`: runs `oxe-cc <argv…>`,
/// writing to the real stdout and stderr (flushed before returning), and
/// answers the exit code.
#[napi(js_name = "runCli")]
pub fn run_cli_js(
    argv: Vec<String>,
    cwd: String,
    env: HashMap<String, String>,
    is_tty: bool,
    package_root: Option<String>,
) -> napi::Result<i32, String> {
    guard("runCli", || {
        let package_root = package_root
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(".."));
        let cli_env = CliEnv {
            cwd: PathBuf::from(cwd),
            vars: env.into_iter().collect::<BTreeMap<_, _>>(),
            stdout_is_tty: is_tty,
            package_root,
        };
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        let mut out = stdout.lock();
        let mut err = stderr.lock();
        let code = run_cli(&argv, &cli_env, &mut out, &mut err);
        let _ = out.flush();
        let _ = err.flush();
        Ok(code)
    })
}

fn text(v: &Value) -> String {
    jsjson::to_line(v)
}

/// `parsePlan(md)` as JSON text.
#[napi(js_name = "sdkParsePlan")]
pub fn sdk_parse_plan(md: String) -> napi::Result<String, String> {
    guard("parsePlan", || Ok(text(&plan::parse_plan(&md).to_value())))
}

/// `parseSpec(md)` as JSON text.
#[napi(js_name = "sdkParseSpec")]
pub fn sdk_parse_spec(md: String) -> napi::Result<String, String> {
    guard("parseSpec", || Ok(text(&spec::parse_spec(&md).to_value())))
}

/// `parseHypotheses(text)` as JSON text.
#[napi(js_name = "sdkParseHypotheses")]
pub fn sdk_parse_hypotheses(md: String) -> napi::Result<String, String> {
    guard("parseHypotheses", || {
        Ok(text(&hypotheses::to_value(&hypotheses::parse_hypotheses(
            &md,
        ))))
    })
}

/// `parseConfidenceVector(text)` as JSON text (`null` without a block).
#[napi(js_name = "sdkParseConfidenceVector")]
pub fn sdk_parse_confidence_vector(md: String) -> napi::Result<String, String> {
    guard("parseConfidenceVector", || {
        Ok(confidence::parse_confidence_vector(&md)
            .map_or_else(|| "null".to_string(), |v| text(&v.to_value())))
    })
}

/// `parseState(md)` as JSON text.
#[napi(js_name = "sdkParseState")]
pub fn sdk_parse_state(md: String) -> napi::Result<String, String> {
    guard("parseState", || {
        Ok(text(&state::parse_state(&md).to_value()))
    })
}

/// `validateDecisionFidelity(discuss, plan)` as JSON text; `plan` is
/// `null` when the caller gave no string.
#[napi(js_name = "sdkValidateDecisionFidelity")]
pub fn sdk_validate_decision_fidelity(
    discuss: String,
    plan_md: Option<String>,
) -> napi::Result<String, String> {
    guard("validateDecisionFidelity", || {
        fidelity::validate_decision_fidelity(&discuss, plan_md.as_deref())
            .map(|f| text(&f.to_value()))
            .map_err(OxeError::Arg)
    })
}

/// `parseLessonsMetrics(String(json || '{}'))` as JSON text.
#[napi(js_name = "sdkParseLessonsMetrics")]
pub fn sdk_parse_lessons_metrics(json: String) -> napi::Result<String, String> {
    guard("parseLessonsMetrics", || {
        Ok(text(&lessons::parse_lessons_metrics(&json)))
    })
}

/// The decision of `updateLessonMetric` (see `lessons::update_lesson_metric`).
#[napi(js_name = "sdkLessonMetricUpdate")]
pub fn sdk_lesson_metric_update(
    lessons_json: String,
    id_json: String,
    outcome_json: String,
) -> napi::Result<String, String> {
    guard("updateLessonMetric", || {
        let l = parse_wire("metrics", &lessons_json)?;
        let id = parse_wire("lessonId", &id_json)?;
        let o = parse_wire("outcome", &outcome_json)?;
        lessons::update_lesson_metric(&l, &id, &o)
            .map(|v| text(&v))
            .map_err(OxeError::Arg)
    })
}

/// The lessons `deprecateLowEffectiveness` marks, by index.
#[napi(js_name = "sdkLessonsToDeprecate")]
pub fn sdk_lessons_to_deprecate(
    lessons_json: String,
    threshold_json: Option<String>,
    min_observations_json: Option<String>,
) -> napi::Result<Vec<u32>, String> {
    guard("deprecateLowEffectiveness", || {
        let l = parse_wire("metrics", &lessons_json)?;
        let t = threshold_json
            .map(|t| parse_wire("threshold", &t))
            .transpose()?;
        let m = min_observations_json
            .map(|m| parse_wire("minObservations", &m))
            .transpose()?;
        lessons::lessons_to_deprecate(&l, t.as_ref(), m.as_ref())
            .map(|v| v.into_iter().map(|i| i as u32).collect())
            .map_err(OxeError::Arg)
    })
}

/// `readPackageMeta(root)` as JSON text.
#[napi(js_name = "sdkReadPackageMeta")]
pub fn sdk_read_package_meta(root: String) -> napi::Result<String, String> {
    guard("readPackageMeta", || {
        let m = sdk::read_package_meta(Path::new(&root));
        Ok(jsjson::stringify(&m, false).unwrap_or_default())
    })
}

/// `readMinNode(packageRoot)`; `null` root answers 18.
#[napi(js_name = "sdkReadMinNode")]
pub fn sdk_read_min_node(root: Option<String>) -> napi::Result<f64, String> {
    guard("readMinNode", || {
        Ok(sdk::read_min_node(root.as_deref().map(Path::new)))
    })
}

/// STATE.md readers of the health module, by name: `phase`,
/// `activeSession`, `planReviewStatus` answer a string or null;
/// `lastScanDate`, `lastCompactDate`, `lastRetroDate` answer epoch
/// milliseconds or null (the glue makes a `Date`).
#[napi(js_name = "sdkStateField")]
pub fn sdk_state_field(field: String, md: String) -> napi::Result<String, String> {
    guard("parseState field", || {
        let v = match field.as_str() {
            "phase" => state::parse_state_phase(&md).map(Value::from),
            "activeSession" => state::parse_active_session(&md).map(Value::from),
            "planReviewStatus" => state::parse_plan_review_status(&md).map(Value::from),
            "lastScanDate" => state::parse_last_scan_date(&md).map(Value::from),
            "lastCompactDate" => state::parse_last_compact_date(&md).map(Value::from),
            "lastRetroDate" => state::parse_last_retro_date(&md).map(Value::from),
            other => return Err(OxeError::Arg(format!("unknown STATE.md field {other:?}"))),
        };
        Ok(text(&v.unwrap_or(Value::Null)))
    })
}
