//! health binding: the SDK namespace `health` and `runDoctorChecks`.
//! Results cross as JSON text; `lib/sdk/health.js` parses them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use napi_derive::napi;
use oxe_cli::health::config::{load_oxe_config_merged, validate_config_shape};
use oxe_cli::health::doctor::{run_doctor_checks, DoctorOpts};
use oxe_cli::health::report::{
    build_health_report, copilot_report, plan_self_evaluation, routine_hints, suggest_next_step,
    HealthEnv,
};
use oxe_cli::i18n::Lang;
use oxe_runtime::jsjson;
use serde_json::Value;

use crate::guard::guard;

/// The [`HealthEnv`] of a call: the caller's environment (which also picks
/// the language) and the package root. Shared by the bindings that read a
/// project the way the health report does (health, dashboard).
pub(crate) fn env_of(vars: HashMap<String, String>, package_root: String) -> HealthEnv {
    let vars: BTreeMap<String, String> = vars.into_iter().collect();
    let lang = Lang::detect(&vars, None);
    HealthEnv {
        vars,
        lang,
        package_root: PathBuf::from(package_root),
    }
}

/// `buildHealthReport(proj)` as JSON text.
#[napi(js_name = "healthBuildReport")]
pub fn health_build_report(
    proj: String,
    env: HashMap<String, String>,
    package_root: String,
) -> napi::Result<String, String> {
    guard("buildHealthReport", || {
        let e = env_of(env, package_root);
        Ok(jsjson::to_line(&build_health_report(Path::new(&proj), &e)))
    })
}

/// `loadOxeConfigMerged(proj)` as JSON text.
#[napi(js_name = "healthLoadConfig")]
pub fn health_load_config(
    proj: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("loadOxeConfigMerged", || {
        let e = env_of(env, String::new());
        Ok(jsjson::to_line(
            &load_oxe_config_merged(Path::new(&proj), &e.vars, e.lang).to_value(),
        ))
    })
}

/// `validateConfigShape(cfg)`; `cfg` is JSON text.
#[napi(js_name = "healthValidateConfig")]
pub fn health_validate_config(
    cfg: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("validateConfigShape", || {
        let e = env_of(env, String::new());
        let map = match jsjson::parse(&cfg) {
            Ok(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let (unknown, errs) = validate_config_shape(&map, e.lang);
        Ok(jsjson::to_line(
            &serde_json::json!({"unknownKeys": unknown, "typeErrors": errs}),
        ))
    })
}

/// `suggestNextStep(proj)` as JSON text.
#[napi(js_name = "healthSuggestNextStep")]
pub fn health_suggest_next_step(
    proj: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("suggestNextStep", || {
        let e = env_of(env, String::new());
        let cfg = load_oxe_config_merged(Path::new(&proj), &e.vars, e.lang);
        Ok(jsjson::to_line(&suggest_next_step(
            Path::new(&proj),
            &cfg,
            e.lang,
        )))
    })
}

/// `copilotIntegrationReport(proj)` as JSON text.
#[napi(js_name = "healthCopilotReport")]
pub fn health_copilot_report(
    proj: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("copilotIntegrationReport", || {
        let e = env_of(env, String::new());
        Ok(jsjson::to_line(&copilot_report(Path::new(&proj), &e)))
    })
}

/// `parsePlanSelfEvaluation(planPath)` as JSON text.
#[napi(js_name = "healthPlanSelfEvaluation")]
pub fn health_plan_self_evaluation(
    plan: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("parsePlanSelfEvaluation", || {
        let e = env_of(env, String::new());
        Ok(jsjson::to_line(&plan_self_evaluation(
            Path::new(&plan),
            e.lang,
        )))
    })
}

/// `collectOxeRoutineHints(proj)`: builds the report and the config itself.
#[napi(js_name = "healthRoutineHints")]
pub fn health_routine_hints(
    proj: String,
    env: HashMap<String, String>,
    package_root: String,
) -> napi::Result<Vec<String>, String> {
    guard("collectOxeRoutineHints", || {
        let e = env_of(env, package_root);
        let p = Path::new(&proj);
        let cfg = load_oxe_config_merged(p, &e.vars, e.lang);
        let r = build_health_report(p, &e);
        Ok(routine_hints(p, &r, &cfg, e.lang))
    })
}

/// `runDoctorChecks(opts)` as JSON text.
#[napi(js_name = "healthRunDoctorChecks")]
#[allow(clippy::too_many_arguments)]
pub fn health_run_doctor_checks(
    project_root: String,
    package_root: String,
    node_major: f64,
    include_workflow_lint: bool,
    max_bytes_soft: Option<f64>,
    include_security: bool,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    guard("runDoctorChecks", || {
        let e = env_of(env, package_root.clone());
        let o = DoctorOpts {
            project_root: PathBuf::from(project_root),
            package_root: PathBuf::from(package_root),
            node_major,
            include_workflow_lint,
            max_bytes_soft,
            include_security,
        };
        Ok(jsjson::to_line(&run_doctor_checks(&o, &e)))
    })
}

/// The constants of the namespace as JSON text.
#[napi(js_name = "healthConstants")]
pub fn health_constants() -> napi::Result<String, String> {
    use oxe_cli::health::config as c;
    guard("health", || {
        Ok(jsjson::to_line(&serde_json::json!({
            "ALLOWED_CONFIG_KEYS": c::ALLOWED_CONFIG_KEYS,
            "EXECUTION_PROFILES": c::EXECUTION_PROFILES,
            "VERIFICATION_DEPTHS": c::VERIFICATION_DEPTHS,
            "INSTALL_PROFILES": c::INSTALL_PROFILES,
            "INSTALL_REPO_LAYOUTS": c::INSTALL_REPO_LAYOUTS,
            "INSTALL_OBJECT_KEYS": c::INSTALL_OBJECT_KEYS,
            "EXPECTED_CODEBASE_MAPS": oxe_cli::health::EXPECTED_CODEBASE_MAPS,
        })))
    })
}

/// `expandExecutionProfile(p)` as JSON text.
#[napi(js_name = "healthExpandProfile")]
pub fn health_expand_profile(profile: String) -> napi::Result<String, String> {
    guard("expandExecutionProfile", || {
        Ok(jsjson::to_line(&Value::Object(
            oxe_cli::health::config::expand_execution_profile(&profile),
        )))
    })
}

/// `isStaleScan(dateMs|null, maxDays)` → `{stale, days}` as JSON text.
#[napi(js_name = "healthIsStale")]
pub fn health_is_stale(
    date_ms: Option<f64>,
    max_days: f64,
    now_ms: f64,
) -> napi::Result<String, String> {
    guard("isStaleScan", || {
        let d = date_ms.filter(|d| d.is_finite());
        let (stale, days) = oxe_cli::health::is_stale(d, max_days, now_ms);
        Ok(jsjson::to_line(
            &serde_json::json!({"stale": stale, "days": days}),
        ))
    })
}

/// `oxePaths(proj)` / `scopedOxePaths(proj, session)` as JSON text.
#[napi(js_name = "healthOxePaths")]
pub fn health_oxe_paths(
    proj: String,
    session: Option<String>,
    scoped: bool,
) -> napi::Result<String, String> {
    guard("oxePaths", || {
        Ok(jsjson::to_line(&oxe_cli::health::oxe_paths_value(
            Path::new(&proj),
            session.as_deref(),
            scoped,
        )))
    })
}

/// The warning helpers of the namespace: `kind` names one, `args` is
/// JSON text with its inputs; answers a JSON list (or `null`/string for
/// `verifyGaps`).
#[napi(js_name = "healthWarnings")]
pub fn health_warnings(
    kind: String,
    args: String,
    env: HashMap<String, String>,
) -> napi::Result<String, String> {
    use oxe_cli::health::report as r;
    use oxe_cli::health::OxePaths;
    guard("health", || {
        let e = env_of(env, String::new());
        let lang = e.lang;
        let a = jsjson::parse(&args).unwrap_or(Value::Null);
        let s = |k: &str| a.get(k).map(jsjson::js_string).unwrap_or_default();
        let paths = || OxePaths::from_value(a.get("paths").unwrap_or(&Value::Null));
        let list: Value = match kind.as_str() {
            "phase" => {
                let ph = s("phase");
                if ph.is_empty() || a.get("phase").is_some_and(Value::is_null) {
                    serde_json::json!([])
                } else {
                    serde_json::json!(r::phase_warnings(&ph, &paths(), lang))
                }
            }
            "runtime" => serde_json::json!(r::runtime_warnings(&s("stateText"), &paths(), lang)),
            "capability" => serde_json::json!(r::capability_warnings(&paths(), lang)),
            "investigation" => serde_json::json!(r::investigation_warnings(&paths(), lang)),
            "spec" => {
                let heads: Vec<String> = a
                    .get("headings")
                    .and_then(Value::as_array)
                    .map(|v| v.iter().map(jsjson::js_string).collect())
                    .unwrap_or_default();
                serde_json::json!(r::spec_section_warnings(
                    Path::new(&s("path")),
                    &heads,
                    lang
                ))
            }
            "wave" => {
                let max = a.get("max").and_then(Value::as_f64).unwrap_or(0.0);
                serde_json::json!(r::plan_wave_warnings(Path::new(&s("path")), max, lang))
            }
            "aceite" => {
                serde_json::json!(r::plan_task_aceite_warnings(Path::new(&s("path")), lang))
            }
            "planAgents" => serde_json::json!(r::plan_agents_warnings(Path::new(&s("path")), lang)),
            "verifyGaps" => serde_json::json!(r::verify_gap_warning(
                Path::new(&s("verify")),
                Path::new(&s("summary")),
                lang
            )),
            other => {
                return Err(oxe_runtime::OxeError::Arg(format!(
                    "unknown health helper: {other}"
                )));
            }
        };
        Ok(jsjson::to_line(&list))
    })
}
