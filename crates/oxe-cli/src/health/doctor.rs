//! `runDoctorChecks(opts)`: doctor as data. Never exits, never fails on a
//! project problem; every finding is an `{code, message, detail?}` entry.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::config::{load_oxe_config_merged, validate_config_shape};
use super::report::{build_health_report, HealthEnv};
use super::{md_files, resolve_workflows_dir, t};
use crate::i18n::Lang;

/// The arguments of `runDoctorChecks`.
#[derive(Debug, Clone)]
pub struct DoctorOpts {
    pub project_root: PathBuf,
    pub package_root: PathBuf,
    pub node_major: f64,
    pub include_workflow_lint: bool,
    /// `workflowLintOptions.maxBytesSoft`.
    pub max_bytes_soft: Option<f64>,
    pub include_security: bool,
}

fn entry(code: &str, message: String, detail: Option<Value>) -> Value {
    let mut e = json!({"code": code, "message": message});
    if let (Some(d), Some(m)) = (detail, e.as_object_mut()) {
        m.insert("detail".into(), d);
    }
    e
}

/// `validateWorkflowShapes(dir, {maxBytesSoft})` → `{fileResults, warnings}`.
pub fn validate_workflow_shapes(dir: &Path, max_bytes_soft: f64, lang: Lang) -> Value {
    let mut results = Vec::new();
    let mut warnings = Vec::new();
    for file in md_files(dir) {
        let Ok(content) = std::fs::read_to_string(dir.join(&file)) else {
            warnings.push(entry(
                "WORKFLOW_SHAPE",
                t(
                    lang,
                    &format!("{file}: cannot read the file"),
                    &format!("{file}: não foi possível ler o arquivo"),
                ),
                Some(json!({"file": file})),
            ));
            continue;
        };
        let mut w: Vec<String> = Vec::new();
        let (o, c) = (content.find("<objective>"), content.find("</objective>"));
        match (o, c) {
            (None, None) => w.push(t(
                lang,
                "no <objective>…</objective> block",
                "falta bloco <objective>…</objective>",
            )),
            (None, _) => w.push(t(
                lang,
                "no opening <objective> tag",
                "falta tag de abertura <objective>",
            )),
            (_, None) => w.push(t(
                lang,
                "no closing </objective> tag",
                "falta tag de fecho </objective>",
            )),
            (Some(a), Some(b)) if b < a => w.push(t(
                lang,
                "</objective> comes before <objective>",
                "</objective> aparece antes de <objective>",
            )),
            _ => {}
        }
        if file == "help.md" {
            if !content.contains("<output>") || !content.contains("</output>") {
                w.push(t(
                    lang,
                    "help.md should include <output>…</output>",
                    "help.md deveria incluir <output>…</output>",
                ));
            }
        } else {
            let sc =
                content.contains("<success_criteria>") && content.contains("</success_criteria>");
            let s = content.contains("<success>") && content.contains("</success>");
            if !sc && !s {
                w.push(t(
                    lang,
                    "no <success_criteria> or <success> block",
                    "sem <success_criteria> nem <success>",
                ));
            }
        }
        let bytes = content.len();
        if (bytes as f64) > max_bytes_soft {
            let lim = oxe_runtime::jsjson::number_to_js_string(max_bytes_soft);
            w.push(t(lang, &format!("large file ({bytes} bytes); consider moving parts to oxe/workflows/references/ (soft limit {lim})"), &format!("arquivo grande ({bytes} bytes); considere extrair para oxe/workflows/references/ (limite suave {lim})")));
        }
        if !w.is_empty() {
            for m in &w {
                warnings.push(entry(
                    "WORKFLOW_SHAPE",
                    format!("{file}: {m}"),
                    Some(json!({"file": file})),
                ));
            }
            results.push(json!({"file": file, "warnings": w}));
        }
    }
    json!({"fileResults": results, "warnings": warnings})
}

/// File names that look like secrets (`DEFAULT_SECRET_PATTERNS`).
pub fn is_secret_name(name: &str) -> bool {
    let set = crate::security::Builtin::SecretNames;
    (0..set.sources().len()).any(|i| set.matches(i, name))
}

/// `scanDirForSecretFiles(dir, {maxDepth})`: relative paths.
pub fn scan_secret_files(dir: &Path, max_depth: usize) -> Vec<String> {
    let mut set = crate::security::Builtin::SecretNames;
    crate::security::scan::scan_dir_for_secret_files(
        &dir.to_string_lossy(),
        &mut set,
        max_depth as f64,
    )
    .unwrap_or_default()
}

/// `runDoctorChecks(opts)`.
pub fn run_doctor_checks(o: &DoctorOpts, env: &HealthEnv) -> Value {
    let lang = env.lang;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let wf_pkg = o.package_root.join("oxe").join("workflows");
    let min = crate::sdk::read_min_node(Some(&o.package_root));
    let node_ok = o.node_major >= min;
    if !node_ok {
        errors.push(entry(
            "NODE_VERSION",
            t(
                lang,
                &format!(
                    "Node.js {} is below the package minimum ({})",
                    o.node_major, min
                ),
                &format!(
                    "Node.js {} abaixo do mínimo do pacote ({})",
                    o.node_major, min
                ),
            ),
            Some(json!({"currentMajor": o.node_major, "minimumMajor": min})),
        ));
    }
    let pkg_exists = wf_pkg.exists();
    if !pkg_exists {
        errors.push(entry(
            "PACKAGE_WORKFLOWS_MISSING",
            t(
                lang,
                &format!(
                    "The package workflows folder does not exist: {}",
                    wf_pkg.display()
                ),
                &format!(
                    "Pasta de workflows do pacote inexistente: {}",
                    wf_pkg.display()
                ),
            ),
            None,
        ));
    }
    let wf_tgt = resolve_workflows_dir(&o.project_root);
    let mut diff = Value::Null;
    match &wf_tgt {
        None => errors.push(entry(
            "PROJECT_WORKFLOWS_MISSING",
            t(
                lang,
                "This project has neither .oxe/workflows nor oxe/workflows",
                "Não existe .oxe/workflows nem oxe/workflows neste projeto",
            ),
            None,
        )),
        Some(tgt) if pkg_exists => {
            let expected = md_files(&wf_pkg);
            let actual = md_files(tgt);
            let missing: Vec<&String> = expected.iter().filter(|f| !actual.contains(f)).collect();
            let extra: Vec<&String> = actual.iter().filter(|f| !expected.contains(f)).collect();
            let join = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
            if !missing.is_empty() {
                errors.push(entry(
                    "WORKFLOW_DRIFT",
                    t(
                        lang,
                        &format!(
                            "Workflows missing compared with the package: {}",
                            join(&missing)
                        ),
                        &format!("Faltam workflows em relação ao pacote: {}", join(&missing)),
                    ),
                    Some(json!({"missing": missing, "extra": extra})),
                ));
            } else if !extra.is_empty() {
                warnings.push(entry(
                    "WORKFLOW_EXTRA",
                    t(
                        lang,
                        &format!(
                            "Extra workflows in the project (fine in forks): {}",
                            join(&extra)
                        ),
                        &format!("Workflows extra no projeto (ok em forks): {}", join(&extra)),
                    ),
                    Some(json!({"extra": extra})),
                ));
            }
            diff = json!({"expected": expected, "actual": actual, "missing": missing, "extra": extra, "ok": missing.is_empty()});
        }
        _ => {}
    }
    let cfg = load_oxe_config_merged(&o.project_root, &env.vars, lang);
    let cfg_path = o.project_root.join(".oxe").join("config.json");
    if cfg_path.exists() {
        if let Some(e) = &cfg.parse_error {
            errors.push(entry(
                "CONFIG_JSON_INVALID",
                t(
                    lang,
                    &format!("config.json is invalid: {e}"),
                    &format!("config.json inválido: {e}"),
                ),
                Some(json!({"path": cfg_path.to_string_lossy()})),
            ));
        }
    }
    let (unknown, type_errors) = validate_config_shape(&cfg.config, lang);
    for m in &type_errors {
        warnings.push(entry("CONFIG_SHAPE", m.clone(), None));
    }
    if !unknown.is_empty() {
        warnings.push(entry(
            "CONFIG_UNKNOWN_KEYS",
            t(
                lang,
                &format!("Unknown keys: {}", unknown.join(", ")),
                &format!("Chaves desconhecidas: {}", unknown.join(", ")),
            ),
            Some(json!({"keys": unknown})),
        ));
    }
    let report = build_health_report(&o.project_root, env);
    let mut shape = Value::Null;
    if o.include_workflow_lint {
        if let Some(tgt) = &wf_tgt {
            shape = validate_workflow_shapes(tgt, o.max_bytes_soft.unwrap_or(45000.0), lang);
            if let Some(ws) = shape["warnings"].as_array() {
                warnings.extend(ws.iter().cloned());
            }
        }
    }
    let mut security = Value::Null;
    if o.include_security {
        let secret = scan_secret_files(&o.project_root, 3);
        if !secret.is_empty() {
            warnings.push(entry(
                "SECURITY_SECRET_FILES",
                t(
                    lang,
                    &format!("Files with sensitive names found: {}", secret.join(", ")),
                    &format!(
                        "Arquivos com nomes sensíveis detectados: {}",
                        secret.join(", ")
                    ),
                ),
                Some(json!({"files": secret})),
            ));
        }
        let mut plugins_valid = true;
        let dir = o.project_root.join(".oxe").join("plugins");
        for name in std::fs::read_dir(&dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
        {
            if name.ends_with(".cjs") && is_secret_name(&name) {
                plugins_valid = false;
                warnings.push(entry(
                    "SECURITY_PLUGIN_PATH",
                    t(
                        lang,
                        &format!("Plugin with an unsafe path: {name}"),
                        &format!("Plugin com caminho inseguro: {name}"),
                    ),
                    None,
                ));
            }
        }
        security = json!({"secretFiles": secret, "pluginsValid": plugins_valid});
    }
    json!({
        "ok": errors.is_empty(),
        "errors": errors,
        "warnings": warnings,
        "node": {"currentMajor": o.node_major, "minimumMajor": min, "ok": node_ok},
        "workflowDiff": diff,
        "projectWorkflowsDir": wf_tgt.map(|p| p.to_string_lossy().into_owned()),
        "packageWorkflowsDir": wf_pkg.to_string_lossy(),
        "config": cfg.to_value(),
        "validation": {"unknownKeys": unknown, "typeErrors": type_errors},
        "healthReport": report,
        "workflowShape": shape,
        "securityReport": security,
    })
}
