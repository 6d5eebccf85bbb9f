//! Health report, config layers, status payload and doctor, without a process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::config::{load_oxe_config_merged, validate_config_shape};
use super::doctor::{run_doctor_checks, DoctorOpts};
use super::report::{build_health_report, plan_self_evaluation, suggest_next_step, HealthEnv};
use super::{is_stale, oxe_paths_value};
use crate::i18n::Lang;
use crate::tests::TempDir;
use crate::{run_cli, CliEnv};

fn env(home: &Path) -> HealthEnv {
    let mut vars = BTreeMap::new();
    vars.insert("HOME".to_string(), home.to_string_lossy().into_owned());
    vars.insert(
        "OXE_SYSTEM_CONFIG".to_string(),
        home.join("none.json").to_string_lossy().into_owned(),
    );
    HealthEnv {
        vars,
        lang: Lang::En,
        package_root: home.join("pkg"),
    }
}

fn write(p: PathBuf, text: &str) {
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

#[test]
fn config_layers_profile_and_azure_merge() {
    let t = TempDir::new("health-cfg");
    let e = env(t.path());
    write(
        t.path().join(".oxe/config.json"),
        r#"{"azure":{"enabled":true},"extra":1}"#,
    );
    write(t.path().join("home.oxe").join("x"), "");
    let home = t.path().join("h");
    write(
        home.join(".oxe/config.json"),
        r#"{"profile":"strict","scan_max_age_days":3}"#,
    );
    let mut vars = e.vars.clone();
    vars.insert("HOME".into(), home.to_string_lossy().into_owned());
    let c = load_oxe_config_merged(t.path(), &vars, Lang::En);
    assert_eq!(c.config["scan_max_age_days"], json!(3));
    assert_eq!(c.config["discuss_before_plan"], json!(true));
    assert_eq!(c.config["azure"]["enabled"], json!(true));
    assert_eq!(c.config["azure"]["inventory_max_age_hours"], json!(24));
    assert!(c
        .path
        .as_deref()
        .is_some_and(|p| p.ends_with("config.json")));
    assert!(c.sources[1].is_some());
    let (unknown, errs) = validate_config_shape(&c.config, Lang::En);
    assert_eq!(unknown, vec!["extra".to_string()]);
    assert!(errs.is_empty());
    write(t.path().join(".oxe/config.json"), "[1]");
    let c = load_oxe_config_merged(t.path(), &vars, Lang::En);
    assert_eq!(c.parse_error.as_deref(), Some("não é um objeto"));
}

#[test]
fn shape_errors_name_the_field() {
    let cfg = json!({"permissions":[{"action":"block"}],"plugins":[{"source":""}],"profile":"x"});
    let (_, errs) = validate_config_shape(cfg.as_object().expect("object"), Lang::En);
    for f in [
        "permissions[0].pattern",
        "permissions[0].action",
        "plugins[0].source",
        "profile",
    ] {
        assert!(errs.iter().any(|e| e.contains(f)), "{f}: {errs:?}");
    }
}

#[test]
fn stale_days() {
    let day = 86_400_000.0;
    assert_eq!(is_stale(Some(0.0), 5.0, 10.5 * day), (true, Some(10.0)));
    assert_eq!(is_stale(Some(0.0), 0.0, 10.0 * day), (false, None));
    assert_eq!(is_stale(None, 5.0, 10.0 * day), (false, None));
}

#[test]
fn plan_self_evaluation_reads_the_section() {
    let t = TempDir::new("health-plan");
    let plan = t.path().join("PLAN.md");
    write(plan.clone(), "# P\n\n## Autoavaliação do Plano\n\n**Melhor plano atual:** nao\n**Confiança:** 55 %\n\n## Next\n");
    let v = plan_self_evaluation(&plan, Lang::En);
    assert_eq!(v["hasSection"], json!(true));
    assert_eq!(v["bestPlan"], json!("não"));
    assert_eq!(v["confidence"], json!(55.0));
    write(plan.clone(), "# P\n");
    assert_eq!(
        plan_self_evaluation(&plan, Lang::En)["warnings"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn next_step_walks_the_artifacts() {
    let t = TempDir::new("health-next");
    let e = env(t.path());
    let cfg = load_oxe_config_merged(t.path(), &e.vars, Lang::En);
    assert_eq!(
        suggest_next_step(t.path(), &cfg, Lang::En)["step"],
        json!("scan")
    );
    write(t.path().join(".oxe/STATE.md"), "# S\n");
    for m in super::EXPECTED_CODEBASE_MAPS {
        write(t.path().join(".oxe/codebase").join(m), "x");
    }
    assert_eq!(
        suggest_next_step(t.path(), &cfg, Lang::En)["step"],
        json!("spec")
    );
    write(t.path().join(".oxe/SPEC.md"), "x");
    assert_eq!(
        suggest_next_step(t.path(), &cfg, Lang::En)["cursorCmd"],
        json!("/oxe-plan")
    );
    write(t.path().join(".oxe/PLAN.md"), "x");
    assert_eq!(
        suggest_next_step(t.path(), &cfg, Lang::En)["step"],
        json!("execute")
    );
}

#[test]
fn report_reads_the_active_run() {
    let t = TempDir::new("health-run");
    let e = env(t.path());
    write(t.path().join(".oxe/ACTIVE-RUN.json"), r#"{"run_id":"r1"}"#);
    write(
        t.path().join(".oxe/runs/r1.json"),
        r#"{"run_id":"r1","status":"running","compiled_graph":{"nodes":{"T1":{"id":"T1","mutation_scope":["a"]}}}}"#,
    );
    write(
        t.path().join(".oxe/runs/r1/verification-manifest.json"),
        r#"{"summary":{"total":1,"pass":1,"all_passed":true},"checks":[{"evidence_refs":["e"]}]}"#,
    );
    write(
        t.path().join(".oxe/OXE-EVENTS.ndjson"),
        "{\"type\":\"a\"}\n{\"type\":\"a\"}\nbad\n",
    );
    let r = build_health_report(t.path(), &e);
    assert_eq!(r["activeRun"]["run_id"], json!("r1"));
    assert_eq!(r["runtimeMode"]["runtime_mode"], json!("enterprise"));
    assert_eq!(r["eventsSummary"]["byType"]["a"], json!(2));
    assert_eq!(r["verificationSummary"]["total"], json!(1.0));
    assert_eq!(r["evidenceCoverage"]["coverage_percent"], json!(100.0));
    assert_eq!(r["policyCoverage"]["uncoveredMutations"], json!(1));
    assert_eq!(r["promotionReadiness"]["status"], json!("blocked"));
    assert_eq!(r["multiAgent"]["enabled"], json!(false));
    let keys: Vec<&String> = r
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.first().map(|s| s.as_str()), Some("configPath"));
    assert_eq!(keys.last().map(|s| s.as_str()), Some("scanIgnoreGlobs"));
}

#[test]
fn paths_have_the_upstream_keys() {
    let v = oxe_paths_value(Path::new("/p"), None, false);
    assert_eq!(v.as_object().map(|m| m.len()), Some(36));
    let s = oxe_paths_value(Path::new("/p"), Some("sessions/s001-a"), true);
    assert_eq!(s["spec"], json!("/p/.oxe/sessions/s001-a/spec/SPEC.md"));
    assert_eq!(s["state"], json!("/p/.oxe/STATE.md"));
}

#[test]
fn doctor_checks_as_data() {
    let t = TempDir::new("health-doctor");
    let e = env(t.path());
    write(t.path().join(".oxe/config.json"), "{");
    let o = DoctorOpts {
        project_root: t.path().to_path_buf(),
        package_root: t.path().join("pkg"),
        node_major: 8.0,
        include_workflow_lint: true,
        max_bytes_soft: None,
        include_security: true,
    };
    write(t.path().join(".env"), "X=1");
    let r = run_doctor_checks(&o, &e);
    let codes: Vec<&str> = r["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        vec![
            "NODE_VERSION",
            "PACKAGE_WORKFLOWS_MISSING",
            "PROJECT_WORKFLOWS_MISSING",
            "CONFIG_JSON_INVALID"
        ]
    );
    assert_eq!(r["securityReport"]["secretFiles"], json!([".env"]));
    assert_eq!(r["healthReport"]["healthStatus"], json!("broken"));
}

fn cli(args: &[&str], cwd: &Path) -> (i32, String) {
    let mut vars = BTreeMap::new();
    vars.insert("OXE_NO_BANNER".to_string(), "1".to_string());
    vars.insert("HOME".to_string(), cwd.to_string_lossy().into_owned());
    let env = CliEnv {
        cwd: cwd.to_path_buf(),
        vars,
        stdout_is_tty: false,
        package_root: Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(".."),
    };
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_cli(&args, &env, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned())
}

#[test]
fn status_json_is_one_line_schema_5() {
    let t = TempDir::new("health-status");
    let (code, out) = cli(&["status", "--json"], t.path());
    assert_eq!(code, 0);
    assert_eq!(out.trim_end().lines().count(), 1);
    let v: Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(v["oxeStatusSchema"], json!(5));
    assert_eq!(v.as_object().map(|m| m.len()), Some(45));
    let (code, out) = cli(&["status", "--json", "--hints"], t.path());
    assert_eq!(code, 0);
    assert!(out.contains("\"hints\":[]"));
}

#[test]
fn status_human_and_doctor() {
    let t = TempDir::new("health-human");
    let (code, out) = cli(&["status"], t.path());
    assert_eq!(code, 0);
    assert!(out.contains("OXE ▸ status") && out.contains("/oxe-scan"));
    let (code, out) = cli(&["doctor"], t.path());
    assert_eq!(code, 1);
    assert!(out.contains("OXE ▸ doctor"));
}
