//! `buildHealthReport(proj)`, its warning lists and `suggestNextStep`.
//!
//! The report is a JSON object in 1.4.0's key order; dates are ISO
//! strings (the SDK glue turns `scanDate`, `compactDate` and `retroDate`
//! back into `Date`s). Warning texts are ours, in the user's language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use super::config::{load_oxe_config_merged, num_of, validate_config_shape, MergedConfig};
use super::{
    is_stale, now_ms, path_str, read_json, read_text, t, OxePaths, EXPECTED_CODEBASE_MAPS,
};
use crate::i18n::Lang;
use crate::jstext;
use crate::parsers::state;

/// What a report needs from the process.
#[derive(Debug, Clone)]
pub struct HealthEnv {
    pub vars: BTreeMap<String, String>,
    pub lang: Lang,
    /// Root of the installed package (workflow contracts).
    pub package_root: PathBuf,
}

impl HealthEnv {
    fn home(&self) -> Option<PathBuf> {
        self.vars
            .get("HOME")
            .filter(|h| !h.is_empty())
            .or_else(|| self.vars.get("USERPROFILE").filter(|h| !h.is_empty()))
            .map(PathBuf::from)
    }
}

fn ci_find(hay: &str, needle: &str, from: usize) -> Option<usize> {
    jstext::find_all(hay, needle, true, from).next()
}

fn ci_contains(hay: &str, needle: &str) -> bool {
    ci_find(hay, needle, 0).is_some()
}

/// `/\*\*<label>\*\*\s*`?(<values>)`?/i` anywhere in `text`.
fn bold_value_in(text: &str, label: &str, values: &[&str]) -> bool {
    let head = format!("**{label}**");
    jstext::find_all(text, &head, true, 0).any(|at| {
        let mut p = jstext::ws_end(text, at + head.len());
        if text[p..].starts_with('`') {
            p += 1;
        }
        values
            .iter()
            .any(|v| jstext::eat(text, p, v, true).is_some())
    })
}

/// The body of a `##… <title>` section: from the end of its heading line up
/// to the next line starting with `#` (or the end).
fn section_body<'a>(text: &'a str, title: &str) -> Option<&'a str> {
    for at in jstext::find_all(text, title, true, 0) {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let head = &text[line_start..at];
        if !head.starts_with("##") || !head.trim_start_matches('#').trim().is_empty() {
            continue;
        }
        let body_start = jstext::line_end(text, at);
        let body = &text[body_start..];
        let mut end = body.len();
        let mut idx = 0;
        for line in body.split_inclusive('\n') {
            if idx > 0 && line.starts_with('#') {
                end = idx;
                break;
            }
            idx += line.len();
        }
        return Some(&body[..end]);
    }
    None
}

fn exists(p: &Path) -> bool {
    p.exists()
}

fn maps_complete(p: &OxePaths) -> bool {
    EXPECTED_CODEBASE_MAPS
        .iter()
        .all(|f| p.codebase.join(f).exists())
}

/// `parsePlanSelfEvaluation(planPath)`.
pub fn plan_self_evaluation(plan: &Path, lang: Lang) -> Value {
    let Some(raw) = read_text(plan) else {
        return json!({"hasSection": false, "bestPlan": null, "confidence": null, "warnings": []});
    };
    let Some(body) = section_body(&raw, "Autoavaliação do Plano") else {
        return json!({"hasSection": false, "bestPlan": null, "confidence": null, "warnings": [
            t(lang, "PLAN.md lacks the required \"## Autoavaliação do Plano\" (plan self-evaluation) section",
                "PLAN.md não tem a seção obrigatória \"## Autoavaliação do Plano\"")
        ]});
    };
    let mut warnings = Vec::new();
    let mut best: Option<String> = None;
    let head = "**Melhor plano atual:**";
    for at in jstext::find_all(body, head, true, 0) {
        let p = jstext::ws_end(body, at + head.len());
        for (w, canon) in [("sim", "sim"), ("não", "não"), ("nao", "não")] {
            if best.is_none() && jstext::eat(body, p, w, true).is_some() {
                best = Some(canon.to_string());
            }
        }
        if best.is_some() {
            break;
        }
    }
    let mut confidence: Option<f64> = None;
    let head = "**Confiança:**";
    for at in jstext::find_all(body, head, true, 0) {
        let p = jstext::ws_end(body, at + head.len());
        let digits: String = body[p..].chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 3 {
            continue;
        }
        let q = jstext::ws_end(body, p + digits.len());
        if body[q..].starts_with('%') {
            confidence = digits.parse::<f64>().ok();
            break;
        }
    }
    let missing = |label: &str| {
        t(
            lang,
            &format!("PLAN.md: self-evaluation lacks \"{label}\""),
            &format!("PLAN.md: autoavaliação sem \"{label}\""),
        )
    };
    if best.is_none() {
        warnings.push(missing("Melhor plano atual: sim|não"));
    }
    if confidence.is_none() {
        warnings.push(missing("Confiança: NN%"));
    }
    for label in [
        "Principais incertezas",
        "Alternativas descartadas",
        "Condição para replanejar",
    ] {
        if !ci_contains(body, &format!("**{label}:**")) {
            warnings.push(missing(label));
        }
    }
    for label in [
        "Completude dos requisitos",
        "Dependências conhecidas",
        "Risco técnico",
        "Impacto no código existente",
        "Clareza da validação / testes",
        "Lacunas externas / decisões pendentes",
    ] {
        if !body.contains(label) {
            warnings.push(t(
                lang,
                &format!("PLAN.md: rubric lacks \"{label}\""),
                &format!("PLAN.md: rubrica sem \"{label}\""),
            ));
        }
    }
    if confidence.is_some_and(|c| !(0.0..=100.0).contains(&c)) {
        warnings.push(t(
            lang,
            "PLAN.md: confidence outside 0–100%",
            "PLAN.md: confiança fora do intervalo 0–100%",
        ));
    }
    json!({"hasSection": true, "bestPlan": best, "confidence": confidence, "warnings": warnings})
}

/// `### Tn` task ids of a plan with the text of each block.
fn plan_tasks(raw: &str) -> Vec<(String, String)> {
    let mut heads = Vec::new();
    let mut off = 0;
    for line in raw.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("###") {
            let r = rest.trim_start_matches([' ', '\t']);
            if r.len() < rest.len() && r.starts_with('T') {
                let digits: String = r[1..].chars().take_while(char::is_ascii_digit).collect();
                let after = &r[1 + digits.len()..];
                if !digits.is_empty() && after.starts_with(|c: char| c.is_whitespace()) {
                    heads.push((format!("T{digits}"), off, off + line.len()));
                }
            }
        }
        off += line.len();
    }
    let mut out = Vec::new();
    for (i, (id, _, body_start)) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(raw.len(), |h| h.1);
        out.push((id.clone(), raw[*body_start..end].to_string()));
    }
    out
}

/// `planWaveWarningsFixed(planPath, maxPerWave)`.
pub fn plan_wave_warnings(plan: &Path, max: f64, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let Some(raw) = read_text(plan) else {
        return out;
    };
    if max > 0.0 {
        let mut per: Vec<(String, u32)> = Vec::new();
        let mut wave = "0".to_string();
        for line in raw.split('\n') {
            if let Some(at) = ci_find(line, "**Onda:**", 0) {
                let q = jstext::ws_end(line, at + "**Onda:**".len());
                let d: String = line[q..].chars().take_while(char::is_ascii_digit).collect();
                if !d.is_empty() {
                    wave = d;
                }
            }
            let tl = line.trim();
            if tl.starts_with("###") && !plan_tasks(&format!("{tl} \n")).is_empty() {
                match per.iter_mut().find(|(w, _)| *w == wave) {
                    Some(e) => e.1 += 1,
                    None => per.push((wave.clone(), 1)),
                }
            }
        }
        for (w, n) in per {
            if f64::from(n) > max {
                out.push(t(
                    lang,
                    &format!("PLAN.md: wave {w} has {n} tasks (configured maximum: {max}); consider splitting it"),
                    &format!("PLAN.md: onda {w} tem {n} tarefas (máximo configurado: {max}); considere dividir"),
                ));
            }
        }
    }
    out
}

/// `planTaskAceiteWarnings(planPath)`.
pub fn plan_task_aceite_warnings(plan: &Path, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let Some(raw) = read_text(plan) else {
        return out;
    };
    for (id, body) in plan_tasks(&raw) {
        if !ci_contains(&body, "**Aceite vinculado:**") {
            out.push(t(
                lang,
                &format!("PLAN.md: task {id} has no **Aceite vinculado:** line linking it to the SPEC criteria"),
                &format!("PLAN.md: tarefa {id} sem linha **Aceite vinculado:** ligando-a aos critérios da SPEC"),
            ));
        }
    }
    out
}

fn plan_warnings(
    p: &OxePaths,
    cfg: &MergedConfig,
    threshold: f64,
    proj: &Path,
    lang: Lang,
) -> Vec<String> {
    let mut out = Vec::new();
    if !p.plan.exists() {
        return plan_agents_warnings(proj, lang);
    }
    out.extend(plan_wave_warnings(
        &p.plan,
        cfg.num("plan_max_tasks_per_wave"),
        lang,
    ));
    out.extend(plan_task_aceite_warnings(&p.plan, lang));
    let se = plan_self_evaluation(&p.plan, lang);
    if let Some(Value::Array(ws)) = se.get("warnings") {
        out.extend(ws.iter().filter_map(|w| w.as_str().map(String::from)));
    }
    if se.get("bestPlan").and_then(Value::as_str) == Some("não") {
        out.push(t(
            lang,
            "PLAN.md: the self-evaluation says this is not the best current plan",
            "PLAN.md: a autoavaliação declara que este não é o melhor plano atual",
        ));
    }
    if let Some(c) = se.get("confidence").and_then(Value::as_f64) {
        if c < threshold {
            out.push(t(
                lang,
                &format!(
                    "PLAN.md: confidence {c}% is below the executable threshold ({threshold}%)"
                ),
                &format!("PLAN.md: confiança {c}% abaixo do limiar executável ({threshold}%)"),
            ));
        }
    }
    out.extend(plan_agents_warnings(proj, lang));
    out
}

/// `planAgentsWarnings(proj)`: a broken `plan-agents.json`, the legacy
/// schema 1 and unknown `model_hint`s.
pub fn plan_agents_warnings(proj: &Path, lang: Lang) -> Vec<String> {
    let p = proj.join(".oxe").join("plan-agents.json");
    let v = match read_json(&p) {
        Ok(Some(v)) => v,
        Ok(None) => return Vec::new(),
        Err(_) => {
            return vec![t(
                lang,
                "plan-agents.json exists but is not valid JSON",
                "plan-agents.json existe mas não é JSON válido",
            )]
        }
    };
    let mut w = Vec::new();
    if v.get("oxePlanAgentsSchema").and_then(Value::as_f64) == Some(1.0) {
        w.push(t(
            lang,
            "plan-agents.json uses schema 1 (legacy); regenerate it with /oxe-plan-agent for schema 3",
            "plan-agents.json usa schema 1 (legado); regere com /oxe-plan-agent para schema 3",
        ));
    }
    for agent in v
        .get("agents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(hint) = agent
            .get("model_hint")
            .filter(|h| oxe_runtime::jsjson::truthy(h))
        else {
            continue;
        };
        let hint = oxe_runtime::jsjson::js_string(hint);
        if !["fast", "balanced", "powerful"].contains(&hint.as_str()) {
            let id = agent
                .get("id")
                .filter(|i| oxe_runtime::jsjson::truthy(i))
                .map_or("?".to_string(), oxe_runtime::jsjson::js_string);
            w.push(t(
                lang,
                &format!("plan-agents.json agent \"{id}\": model_hint \"{hint}\" is not valid; use fast | balanced | powerful"),
                &format!("plan-agents.json agente \"{id}\": model_hint \"{hint}\" inválido; use fast | balanced | powerful"),
            ));
        }
    }
    w
}

pub fn phase_warnings(phase: &str, p: &OxePaths, lang: Lang) -> Vec<String> {
    let mut w = Vec::new();
    let mut push = |en: &str, pt: &str| {
        w.push(t(
            lang,
            &format!("STATE phase `{phase}` but {en}"),
            &format!("Fase `{phase}` no STATE, mas {pt}"),
        ))
    };
    if phase == "scan_complete" && !maps_complete(p) {
        push(
            "maps are missing in .oxe/codebase/; run /oxe-scan",
            "faltam mapas em .oxe/codebase/; rode /oxe-scan",
        );
    }
    if matches!(phase, "spec_ready" | "discuss_complete" | "plan_ready") && !exists(&p.spec) {
        push("SPEC.md does not exist", "SPEC.md não existe");
    }
    if phase == "discuss_complete" && !exists(&p.discuss) {
        push("DISCUSS.md does not exist", "DISCUSS.md não existe");
    }
    if phase == "plan_ready" && !exists(&p.plan) && !exists(&p.quick) {
        push(
            "there is neither PLAN.md nor QUICK.md",
            "não há PLAN.md nem QUICK.md",
        );
    }
    if phase == "quick_active" && !exists(&p.quick) {
        push("QUICK.md does not exist", "QUICK.md não existe");
    }
    if matches!(phase, "executing" | "verify_complete" | "verify_failed")
        && !exists(&p.plan)
        && !exists(&p.quick)
    {
        push(
            "there is neither PLAN.md nor QUICK.md",
            "não há PLAN.md nem QUICK.md",
        );
    }
    if matches!(phase, "verify_complete" | "verify_failed") && !exists(&p.verify) {
        push("VERIFY.md does not exist", "VERIFY.md não existe");
    }
    w
}

/// `readRunState(proj, session)`.
pub fn read_run_state(p: &OxePaths) -> Option<Value> {
    let mut run_id = read_json(&p.active_run)
        .ok()
        .flatten()
        .and_then(|v| {
            v.get("run_id")
                .filter(|r| oxe_runtime::jsjson::truthy(r))
                .cloned()
        })
        .map(|v| oxe_runtime::jsjson::js_string(&v));
    if run_id.is_none() {
        let mut files: Vec<String> = std::fs::read_dir(&p.runs_dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        run_id = files
            .last()
            .map(|f| f.trim_end_matches(".json").to_string());
    }
    let id = run_id?;
    read_json(&p.runs_dir.join(format!("{id}.json")))
        .ok()
        .flatten()
}

fn summarize_events(events: &[Value]) -> Value {
    let mut by_type = Map::new();
    for e in events {
        let key = match e.get("type") {
            Some(v) if oxe_runtime::jsjson::truthy(v) => oxe_runtime::jsjson::js_string(v),
            _ => "custom".into(),
        };
        let n = by_type.get(&key).and_then(Value::as_f64).unwrap_or(0.0) + 1.0;
        by_type.insert(key, json!(n as u64));
    }
    json!({"total": events.len(), "byType": by_type, "lastEvent": events.last().cloned()})
}

fn memory_layers(proj: &Path, session: Option<&str>, p: &OxePaths) -> Value {
    let sep = std::path::MAIN_SEPARATOR.to_string();
    let rel = |parts: &[&str]| parts.join(&sep);
    let (rt_src, rt_exists) = match session {
        Some(s) => (
            rel(&[".oxe", s, "execution", "STATE.md"]),
            proj.join(".oxe")
                .join(s)
                .join("execution")
                .join("STATE.md")
                .exists(),
        ),
        None => (
            ".oxe/STATE.md + ACTIVE-RUN.json".to_string(),
            p.state.exists(),
        ),
    };
    let investigations = match session {
        Some(s) => proj
            .join(".oxe")
            .join(s)
            .join("research")
            .join("INVESTIGATIONS.md"),
        None => proj.join(".oxe").join("INVESTIGATIONS.md"),
    };
    json!({
        "readOrder": ["runtime_state", "session_memory", "project_memory", "evidence"],
        "runtime_state": {"source": rt_src, "exists": rt_exists},
        "session_memory": {
            "source": session.map(|s| rel(&[".oxe", s, "SESSION.md"])),
            "exists": p.session_manifest.as_ref().is_some_and(|m| m.exists()),
        },
        "project_memory": {"source": ".oxe/global/LESSONS.md", "exists": p.global_lessons.exists()},
        "evidence": {
            "source": match session {
                Some(s) => vec![rel(&[".oxe", s, "research", "INVESTIGATIONS.md"]), rel(&[".oxe", s, "verification", "VERIFY.md"])],
                None => vec![".oxe/INVESTIGATIONS.md".to_string(), ".oxe/VERIFY.md".to_string()],
            },
            "exists": investigations.exists() || p.verify.exists(),
        },
    })
}

/// `buildRuntimeModeStatus`: one rule, shared with `oxe-cc runtime`.
fn runtime_mode(run: Option<&Value>, lang: Lang) -> Value {
    crate::runtime_cmd::ops::runtime_mode(run, lang)
}

fn provider_catalog(proj: &Path) -> Value {
    use oxe_runtime::plugins::registry;
    let mut summary = registry::listing(&[], 0)
        .get("summary")
        .cloned()
        .unwrap_or(Value::Null);
    // `registrySummary` also lists the plugins (none are loaded here).
    if let Some(m) = summary.as_object_mut() {
        m.insert("plugins".into(), json!([]));
    }
    let matrix =
        oxe_runtime::plugins::capability_matrix::build(&json!([]), &[], &[]).unwrap_or(Value::Null);
    json!({
        "available": true,
        "plugin_dir": path_str(&proj.join(".oxe").join("plugins")),
        "loaded_capabilities": [],
        "loaded_plugins": [],
        "load_errors": [],
        "summary": summary,
        "matrix": matrix,
    })
}

fn read_gates(proj: &Path, session: Option<&str>, now: f64) -> Value {
    let path = match session {
        Some(s) => super::under_path(&proj.join(".oxe"), s)
            .join("execution")
            .join("GATES.json"),
        None => proj.join(".oxe").join("execution").join("GATES.json"),
    };
    let gates: Vec<Value> = match read_json(&path) {
        Ok(Some(Value::Array(a))) => a,
        _ => Vec::new(),
    };
    let pending: Vec<Value> = gates
        .iter()
        .filter(|g| g.get("status").and_then(Value::as_str) == Some("pending"))
        .cloned()
        .collect();
    let stale: Vec<Value> = pending
        .iter()
        .filter(|g| {
            let s = g
                .get("requested_at")
                .map(oxe_runtime::jsjson::js_string)
                .unwrap_or_default();
            crate::jsdate::parse(&s).is_some_and(|ms| ms.is_finite() && now - ms > 86_400_000.0)
        })
        .cloned()
        .collect();
    json!({
        "path": path_str(&path),
        "gateSlaHours": 24,
        "total": gates.len(),
        "pending": pending,
        "stalePending": stale,
        "staleGateCount": stale.len(),
    })
}

fn audit_summary(proj: &Path, run_id: Option<&str>) -> Value {
    let path = proj.join(".oxe").join("AUDIT-TRAIL.ndjson");
    let mut entries = Vec::new();
    if let Some(raw) = read_text(&path) {
        for line in raw
            .split('\n')
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| !l.is_empty())
        {
            match oxe_runtime::jsjson::parse(line) {
                Ok(v @ Value::Object(_)) => entries.push(v),
                Ok(_) => {}
                Err(_) => {
                    entries.clear();
                    break;
                }
            }
        }
    }
    let scoped: Vec<&Value> = entries
        .iter()
        .filter(|e| run_id.is_none_or(|id| e.get("run_id").and_then(Value::as_str) == Some(id)))
        .collect();
    let mut actions = Map::new();
    let mut actors: Vec<String> = Vec::new();
    let (mut warn, mut critical) = (0, 0);
    let (mut oldest, mut newest): (Option<String>, Option<String>) = (None, None);
    for e in &scoped {
        let action = match e.get("action") {
            Some(v) if oxe_runtime::jsjson::truthy(v) => oxe_runtime::jsjson::js_string(v),
            _ => "unknown".into(),
        };
        let n = actions.get(&action).and_then(Value::as_u64).unwrap_or(0) + 1;
        actions.insert(action, json!(n));
        if let Some(a) = e.get("actor").filter(|v| oxe_runtime::jsjson::truthy(v)) {
            let a = oxe_runtime::jsjson::js_string(a);
            if !actors.contains(&a) {
                actors.push(a);
            }
        }
        match e.get("severity").and_then(Value::as_str) {
            Some("warn") => warn += 1,
            Some("critical") => critical += 1,
            _ => {}
        }
        let ts = match e.get("timestamp") {
            Some(v) if oxe_runtime::jsjson::truthy(v) => oxe_runtime::jsjson::js_string(v),
            _ => String::new(),
        };
        if oldest
            .as_deref()
            .is_none_or(|o| o.is_empty() || ts.as_str() < o)
        {
            oldest = Some(ts.clone());
        }
        if newest
            .as_deref()
            .is_none_or(|o| o.is_empty() || ts.as_str() > o)
        {
            newest = Some(ts);
        }
    }
    json!({
        "path": path_str(&path), "totalEntries": entries.len(), "runEntries": scoped.len(),
        "warn": warn, "critical": critical, "oldest": oldest, "newest": newest,
        "actors": actors, "actions": actions,
    })
}

fn nullable_num(v: Option<&Value>) -> Value {
    match v {
        None | Some(Value::Null) => Value::Null,
        Some(Value::String(s)) if s.is_empty() => Value::Null,
        Some(x) => {
            let n = num_of(Some(x));
            let raw_ok = match x {
                Value::Number(_) | Value::Bool(_) => true,
                Value::String(s) => jstext::to_number(s).is_finite(),
                _ => false,
            };
            if raw_ok && n.is_finite() {
                json!(n)
            } else {
                Value::Null
            }
        }
    }
}

fn quota_summary(
    cfg: &MergedConfig,
    run: Option<&Value>,
    nodes: &[Value],
    attempts: &Value,
) -> Value {
    let q = cfg
        .config
        .get("runtime")
        .and_then(|r| r.get("quotas"))
        .cloned()
        .unwrap_or(json!({}));
    let work_items: Vec<Value> = run
        .and_then(|r| r.pointer("/canonical_state/workItems"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let has_mut = |n: &Value| {
        n.get("mutation_scope")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    let (wi, mu) = if !nodes.is_empty() {
        (nodes.len(), nodes.iter().filter(|n| has_mut(n)).count())
    } else {
        (
            work_items.len(),
            work_items.iter().filter(|n| has_mut(n)).count(),
        )
    };
    let retries: usize = match attempts {
        Value::Object(m) => m
            .values()
            .filter_map(Value::as_array)
            .map(|a| a.len().saturating_sub(1))
            .sum(),
        Value::Array(a) => {
            let mut groups: Vec<(String, usize)> = Vec::new();
            for at in a {
                let key = ["work_item_id", "workItemId", "node_id", "nodeId"]
                    .iter()
                    .find_map(|k| at.get(*k).filter(|v| oxe_runtime::jsjson::truthy(v)))
                    .map(oxe_runtime::jsjson::js_string)
                    .unwrap_or_else(|| "unknown".into());
                match groups.iter_mut().find(|g| g.0 == key) {
                    Some(g) => g.1 += 1,
                    None => groups.push((key, 1)),
                }
            }
            groups.iter().map(|g| g.1 - 1).sum()
        }
        _ => 0,
    };
    let limits = [
        nullable_num(q.get("max_work_items_per_run")),
        nullable_num(q.get("max_mutations_per_run")),
        nullable_num(q.get("max_retries_per_run")),
    ];
    let mut violations = Vec::new();
    for ((name, used), lim) in [("work_items", wi), ("mutations", mu), ("retries", retries)]
        .iter()
        .zip(limits.iter())
    {
        if let Some(l) = lim.as_f64() {
            if (*used as f64) > l {
                violations.push(format!(
                    "{name} {used}/{}",
                    oxe_runtime::jsjson::number_to_js_string(l)
                ));
            }
        }
    }
    json!({
        "limits": {"maxWorkItemsPerRun": limits[0], "maxMutationsPerRun": limits[1], "maxRetriesPerRun": limits[2]},
        "consumed": {"workItems": wi, "mutations": mu, "retries": retries},
        "exceeded": !violations.is_empty(),
        "violations": violations,
    })
    .as_object()
    .map(|m| {
        // key order: limits, consumed, violations, exceeded
        let mut o = Map::new();
        for k in ["limits", "consumed", "violations", "exceeded"] {
            if let Some(v) = m.get(k) {
                o.insert(k.into(), v.clone());
            }
        }
        Value::Object(o)
    })
    .unwrap_or(Value::Null)
}

/// The enterprise runtime fields the health report carries (in this
/// order, followed by `enterpriseWarn`) and the dashboard context repeats
/// under `enterprise`.
pub const ENTERPRISE_FIELDS: [&str; 16] = [
    "runtimeMode",
    "fallbackMode",
    "verificationSummary",
    "residualRiskSummary",
    "evidenceCoverage",
    "pendingGates",
    "gateQueue",
    "policyDecisionSummary",
    "policyCoverage",
    "quotaSummary",
    "auditSummary",
    "promotionSummary",
    "promotionReadiness",
    "recoveryState",
    "multiAgent",
    "providerCatalog",
];

/// `summarizeEnterpriseRuntime`: gates, policy decisions, audit trail,
/// verification manifest / ledger / coverage, promotion, recovery.
fn enterprise(
    proj: &Path,
    run: Option<&Value>,
    session: Option<&str>,
    cfg: &MergedConfig,
    lang: Lang,
    now: f64,
    trace: &[Value],
) -> Map<String, Value> {
    let gates = read_gates(proj, session, now);
    let run_id = run
        .and_then(|r| r.get("run_id"))
        .filter(|v| oxe_runtime::jsjson::truthy(v))
        .map(oxe_runtime::jsjson::js_string);
    let audit = audit_summary(proj, run_id.as_deref());
    let mode = runtime_mode(run, lang);
    let catalog = provider_catalog(proj);
    let pending_count = gates["pending"].as_array().map_or(0, Vec::len);
    let mut m = Map::new();
    let (Some(run), Some(run_id)) = (run, run_id) else {
        m.insert("fallbackMode".into(), mode["fallback_mode"].clone());
        m.insert("runtimeMode".into(), mode);
        m.insert("verificationSummary".into(), Value::Null);
        m.insert("residualRiskSummary".into(), Value::Null);
        m.insert("evidenceCoverage".into(), Value::Null);
        m.insert("pendingGates".into(), gates.clone());
        m.insert("gateQueue".into(), gates);
        m.insert(
            "policyDecisionSummary".into(),
            json!({"total": 0, "denied": 0, "gated": 0, "overridesWithoutRationale": 0}),
        );
        m.insert("policyCoverage".into(), json!({"path": null, "totalDecisions": 0, "mutationNodes": 0, "coveredMutations": 0, "uncoveredMutations": 0, "uncoveredMutationIds": [], "coveragePercent": 100}));
        m.insert(
            "quotaSummary".into(),
            quota_summary(cfg, None, &[], &json!({})),
        );
        m.insert("auditSummary".into(), audit);
        m.insert("promotionSummary".into(), Value::Null);
        m.insert("promotionReadiness".into(), json!({
            "status": "blocked", "blockers": ["verification_manifest ausente".to_string()],
            "targetKind": "pr_draft", "minimumCoverage": 100, "coveragePercent": null,
            "pendingGateCount": pending_count, "highOrCriticalRisks": 0, "uncoveredMutationCount": 0,
        }));
        m.insert("recoveryState".into(), json!({"status": "not_started", "recoverCount": 0, "journalState": null, "markdownPath": null, "issues": []}));
        m.insert("multiAgent".into(), Value::Null);
        m.insert("providerCatalog".into(), catalog);
        m.insert("enterpriseWarn".into(), json!([]));
        return m;
    };
    let run_dir = proj.join(".oxe").join("runs").join(&run_id);
    let rj = |name: &str| read_json(&run_dir.join(name)).ok().flatten();
    let field = |k: &str| {
        run.get(k)
            .filter(|v| oxe_runtime::jsjson::truthy(v))
            .cloned()
    };
    let manifest = field("verification_manifest").or_else(|| rj("verification-manifest.json"));
    let risks = field("residual_risks")
        .or_else(|| rj("residual-risk-ledger.json"))
        .or_else(|| rj("residual-risks.json"));
    let checks: Option<Vec<Value>> = manifest
        .as_ref()
        .and_then(|m| m.get("checks"))
        .and_then(Value::as_array)
        .cloned();
    let with_ev = |c: &Value| {
        c.get("evidence_refs")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let coverage = field("verification_evidence_coverage")
        .or_else(|| rj("evidence-coverage.json"))
        .or_else(|| {
            let m = manifest.as_ref()?;
            let summary = m.get("summary").filter(|s| oxe_runtime::jsjson::truthy(s))?;
            Some(match &checks {
                Some(c) => {
                    let covered = c.iter().filter(|x| with_ev(x) > 0).count();
                    json!({
                        "total_checks": c.len(),
                        "checks_with_evidence": covered,
                        "total_evidence_refs": c.iter().map(with_ev).sum::<usize>(),
                        "coverage_percent": if c.is_empty() { 100.0 } else { jstext::js_round(covered as f64 / c.len() as f64 * 100.0) },
                    })
                }
                None => json!({
                    "total_checks": num_of(summary.get("total")),
                    "checks_with_evidence": 0, "total_evidence_refs": 0, "coverage_percent": 100,
                }),
            })
        });
    let decisions: Vec<Value> = rj("policy-decisions.json")
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default();
    let nodes: Vec<Value> = run
        .pointer("/compiled_graph/nodes")
        .and_then(Value::as_object)
        .map(|m| m.values().cloned().collect())
        .unwrap_or_default();
    let mutation_nodes: Vec<&Value> = nodes
        .iter()
        .filter(|n| {
            n.get("mutation_scope")
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        })
        .collect();
    let attempts = run
        .pointer("/canonical_state/attempts")
        .filter(|v| v.is_object() || v.is_array())
        .cloned()
        .unwrap_or(json!({}));
    let retry_exceeded = mutation_nodes
        .iter()
        .filter(|n| {
            let id = n
                .get("id")
                .map(oxe_runtime::jsjson::js_string)
                .unwrap_or_default();
            let tries = attempts
                .get(&id)
                .and_then(Value::as_array)
                .map_or(0, Vec::len) as f64;
            n.pointer("/policy/max_retries")
                .and_then(Value::as_f64)
                .is_some_and(|mr| tries > mr + 1.0)
        })
        .count();
    let quota = quota_summary(cfg, Some(run), &nodes, &attempts);
    let promotion = run
        .pointer("/delivery/promotion_record")
        .filter(|v| oxe_runtime::jsjson::truthy(v))
        .cloned()
        .or_else(|| rj("promotion-record.json"))
        .map(|r| {
            let s = |k: &str| {
                r.get(k)
                    .filter(|v| oxe_runtime::jsjson::truthy(v))
                    .cloned()
                    .unwrap_or(Value::Null)
            };
            let n = |k: &str| match r.get(k) {
                None | Some(Value::Null) => Value::Null,
                x => json!(num_of(x)),
            };
            json!({
                "status": s("status"), "targetKind": s("target_kind"), "remote": s("remote"),
                "targetRef": s("target_ref"), "prUrl": s("pr_url"), "prNumber": n("pr_number"),
                "coveragePercent": n("coverage_percent"),
                "reasons": r.get("reasons").filter(|v| v.is_array()).cloned().unwrap_or(json!([])),
                "path": path_str(&run_dir.join("promotion-record.json")),
            })
        });
    let covered_ids: Vec<String> = decisions
        .iter()
        .filter_map(|d| {
            d.get("work_item_id")
                .filter(|v| oxe_runtime::jsjson::truthy(v))
        })
        .map(oxe_runtime::jsjson::js_string)
        .collect();
    let mutation_ids: Vec<String> = mutation_nodes
        .iter()
        .filter_map(|n| n.get("id").filter(|v| oxe_runtime::jsjson::truthy(v)))
        .map(oxe_runtime::jsjson::js_string)
        .collect();
    let uncovered: Vec<String> = mutation_ids
        .iter()
        .filter(|id| !covered_ids.contains(id))
        .cloned()
        .collect();
    let pc_percent = if mutation_ids.is_empty() {
        100.0
    } else {
        jstext::js_round(
            (mutation_ids.len() - uncovered.len()) as f64 / mutation_ids.len() as f64 * 100.0,
        )
    };
    let policy_coverage = json!({
        "path": path_str(&run_dir.join("policy-decisions.json")),
        "totalDecisions": decisions.len(), "mutationNodes": mutation_ids.len(),
        "coveredMutations": mutation_ids.len() - uncovered.len(), "uncoveredMutations": uncovered.len(),
        "uncoveredMutationIds": uncovered, "coveragePercent": pc_percent,
    });
    let residual = risks.as_ref().map(|r| {
        let list = r.get("risks").and_then(Value::as_array).cloned().unwrap_or_default();
        json!({
            "total": list.len(),
            "highOrCritical": list.iter().filter(|x| matches!(x.get("severity").and_then(Value::as_str), Some("high" | "critical"))).count(),
            "ledgerPath": path_str(&run_dir.join("residual-risk-ledger.json")),
        })
    });
    let verification = manifest.as_ref().map(|m| {
        let sn = |k: &str| num_of(m.pointer(&format!("/summary/{k}")));
        json!({
            "total": sn("total"), "pass": sn("pass"), "fail": sn("fail"), "skip": sn("skip"), "error": sn("error"),
            "allPassed": m.pointer("/summary/all_passed").is_some_and(oxe_runtime::jsjson::truthy),
            "profile": m.get("profile").filter(|v| oxe_runtime::jsjson::truthy(v)).cloned(),
            "manifestPath": path_str(&run_dir.join("verification-manifest.json")),
        })
    });
    let mut blockers: Vec<String> = Vec::new();
    match &verification {
        None => blockers.push("verification_manifest ausente".to_string()),
        Some(v) => {
            if v["allPassed"] != json!(true)
                || v["fail"].as_f64().unwrap_or(0.0) > 0.0
                || v["error"].as_f64().unwrap_or(0.0) > 0.0
            {
                blockers.push("verify_failed".into());
            }
        }
    }
    if pending_count > 0 {
        blockers.push("pending_gates".into());
    }
    let high = residual
        .as_ref()
        .map_or(0, |r| r["highOrCritical"].as_u64().unwrap_or(0));
    if high > 0 {
        blockers.push("high_or_critical_risks".into());
    }
    let cov_pct = coverage.as_ref().map(|c| num_of(c.get("coverage_percent")));
    if cov_pct.is_some_and(|c| c < 100.0) {
        blockers.push("coverage_below_threshold".into());
    }
    let uncovered_n = policy_coverage["uncoveredMutations"].as_u64().unwrap_or(0);
    if uncovered_n > 0 {
        blockers.push("policy_uncovered_mutations".into());
    }
    let quota_exceeded = quota["exceeded"] == json!(true);
    if quota_exceeded {
        blockers.push("quota_exceeded".into());
    }
    let readiness = json!({
        "status": if blockers.is_empty() { "ready" } else { "blocked" },
        "blockers": blockers,
        "targetKind": promotion.as_ref().and_then(|p| p.get("targetKind")).filter(|v| !v.is_null()).cloned().unwrap_or(json!("pr_draft")),
        "minimumCoverage": 100,
        "coveragePercent": coverage.as_ref().and_then(|c| c.get("coverage_percent")).filter(|v| !v.is_null()).map(|v| json!(num_of(Some(v)))),
        "pendingGateCount": pending_count,
        "highOrCriticalRisks": high,
        "uncoveredMutationCount": uncovered_n,
        "quotaExceeded": quota_exceeded,
    });
    let recovery_summary = run.get("recovery_summary").filter(|v| v.is_object());
    let journal = read_json(&run_dir.join("journal.json")).ok().flatten();
    let md_path = recovery_summary
        .and_then(|r| r.get("markdown_ref"))
        .filter(|v| oxe_runtime::jsjson::truthy(v))
        .map(|r| proj.join(oxe_runtime::jsjson::js_string(r)))
        .unwrap_or_else(|| match session {
            Some(s) => super::under_path(&proj.join(".oxe"), s)
                .join("execution")
                .join("RECOVERY-SUMMARY.md"),
            None => proj.join(".oxe").join("RECOVERY-SUMMARY.md"),
        });
    // What recover would find: pointer/run file/journal/trace agreement
    // (1.4.0's summarizeRecoveryState through buildRecoveryConsistency).
    let consistency = crate::runtime_cmd::ops::Op::new(proj, session, lang)
        .recovery_consistency_over(
            Some(run),
            journal.as_ref().filter(|j| oxe_runtime::jsjson::truthy(j)),
            &json!({"manifest": manifest.clone(), "residualRisks": risks.clone(), "evidenceCoverage": coverage.clone()}),
            trace,
        )
        .unwrap_or_else(|_| json!({"issues": []}));
    let recovery_issues: Vec<Value> = consistency
        .get("issues")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let status = if !recovery_issues.is_empty() {
        "warning"
    } else if run.get("status").and_then(Value::as_str) == Some("paused") {
        "recoverable"
    } else if recovery_summary.is_some() {
        "recovered"
    } else {
        "clean"
    };
    let recovery = json!({
        "status": status,
        "recoverCount": num_of(run.pointer("/metrics/recover_count")),
        "recoveredAt": recovery_summary.and_then(|r| r.get("recovered_at")).filter(|v| oxe_runtime::jsjson::truthy(v)).cloned(),
        "journalState": match recovery_summary {
            Some(r) => r.get("journal_state").filter(|v| oxe_runtime::jsjson::truthy(v)).cloned(),
            None => journal.as_ref().and_then(|j| j.get("scheduler_state")).filter(|v| oxe_runtime::jsjson::truthy(v)).cloned(),
        },
        "markdownPath": path_str(&md_path),
        "orphanWorkItems": recovery_summary.and_then(|r| r.get("orphan_work_items")).filter(|v| v.is_array()).cloned().unwrap_or(json!([])),
        "pendingGatesRehydrated": consistency.get("pending_gates_rehydrated").cloned(),
        "policyDecisionsRehydrated": consistency.get("policy_decisions_rehydrated").cloned(),
        "evidenceRefsTracked": consistency.get("evidence_refs_tracked").cloned(),
        "consistency": consistency,
        "issues": recovery_issues.clone(),
    });
    let overrides = decisions
        .iter()
        .filter(|d| {
            d.get("override").is_some_and(oxe_runtime::jsjson::truthy)
                && !d.get("rationale").is_some_and(oxe_runtime::jsjson::truthy)
                && !d.get("reason").is_some_and(oxe_runtime::jsjson::truthy)
        })
        .count();
    let mut warns: Vec<String> = Vec::new();
    let stale_n = gates["staleGateCount"].as_u64().unwrap_or(0);
    if stale_n > 0 {
        warns.push(t(
            lang,
            &format!("{stale_n} gate(s) pending for more than 24h."),
            &format!("{stale_n} gate(s) pendente(s) há mais de 24h."),
        ));
    }
    if !mutation_nodes.is_empty() && decisions.is_empty() {
        warns.push(t(lang, "The compiled graph has mutations but no policy decision was persisted for the active run.", "O grafo compilado tem mutações sem decisões de policy persistidas para a run ativa."));
    }
    if overrides > 0 {
        warns.push(t(
            lang,
            &format!("{overrides} policy override(s) without a persisted rationale."),
            &format!("{overrides} override(s) de policy sem justificativa persistida."),
        ));
    }
    if retry_exceeded > 0 {
        warns.push(t(
            lang,
            &format!("{retry_exceeded} work item(s) went over their retry budget."),
            &format!("{retry_exceeded} work item(s) ultrapassaram o budget de retry."),
        ));
    }
    if quota_exceeded {
        let v: Vec<String> = quota["violations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        warns.push(t(
            lang,
            &format!("Runtime quotas exceeded: {}.", v.join(", ")),
            &format!("Quotas do runtime excedidas: {}.", v.join(", ")),
        ));
    }
    let crit = audit["critical"].as_u64().unwrap_or(0);
    if crit > 0 {
        warns.push(t(
            lang,
            &format!("{crit} critical entry(ies) in the audit trail of the active run."),
            &format!("{crit} entrada(s) crítica(s) no audit trail da run ativa."),
        ));
    }
    if uncovered_n > 0 {
        warns.push(t(
            lang,
            &format!("{uncovered_n} mutation scope(s) still without policy coverage."),
            &format!("{uncovered_n} mutation scope(s) ainda sem coverage de policy."),
        ));
    }
    warns.extend(recovery_issues.iter().map(oxe_runtime::jsjson::js_string));
    m.insert("fallbackMode".into(), mode["fallback_mode"].clone());
    m.insert("runtimeMode".into(), mode);
    m.insert(
        "verificationSummary".into(),
        verification.unwrap_or(Value::Null),
    );
    m.insert(
        "residualRiskSummary".into(),
        residual.unwrap_or(Value::Null),
    );
    m.insert("evidenceCoverage".into(), coverage.unwrap_or(Value::Null));
    m.insert("pendingGates".into(), gates.clone());
    m.insert("gateQueue".into(), gates);
    m.insert("policyDecisionSummary".into(), json!({
        "total": decisions.len(),
        "denied": decisions.iter().filter(|d| d.get("allowed") == Some(&Value::Bool(false))).count(),
        "gated": decisions.iter().filter(|d| d.get("gate_required") == Some(&Value::Bool(true))).count(),
        "overridesWithoutRationale": overrides,
    }));
    m.insert("policyCoverage".into(), policy_coverage);
    m.insert("quotaSummary".into(), quota);
    m.insert("auditSummary".into(), audit);
    m.insert("promotionSummary".into(), promotion.unwrap_or(Value::Null));
    m.insert("promotionReadiness".into(), readiness);
    m.insert("recoveryState".into(), recovery);
    let state_path = run_dir.join("multi-agent-state.json");
    let ma_state = rj("multi-agent-state.json").filter(oxe_runtime::jsjson::truthy);
    let arr = |v: Option<&Value>| v.filter(|x| x.is_array()).cloned().unwrap_or(json!([]));
    let multi = json!({
        "path": path_str(&state_path),
        "enabled": ma_state.is_some(),
        "runId": run_id,
        "mode": ma_state.as_ref().and_then(|s| s.get("mode")).filter(|v| oxe_runtime::jsjson::truthy(v)).cloned(),
        "workspaceIsolationEnforced": ma_state.as_ref().and_then(|s| s.get("workspace_isolation_enforced")).is_some_and(oxe_runtime::jsjson::truthy),
        "agents": arr(ma_state.as_ref().and_then(|s| s.get("agent_results"))),
        "ownership": arr(ma_state.as_ref().and_then(|s| s.get("ownership"))),
        "orphanReassignments": arr(ma_state.as_ref().and_then(|s| s.get("orphan_reassignments"))),
        "handoffs": arr(rj("handoffs.json").as_ref()),
        "arbitrationResults": arr(rj("arbitration-results.json").as_ref()),
    });
    m.insert("multiAgent".into(), multi);
    m.insert("providerCatalog".into(), catalog);
    m.insert("enterpriseWarn".into(), json!(warns));
    m
}

fn prompt_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().to_lowercase();
                    n.starts_with("oxe-") && n.ends_with(".prompt.md")
                })
                .map(|e| path_str(&e.path()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn has_oxe_block(p: &Path) -> bool {
    read_text(p).is_some_and(|t| {
        t.contains("<!-- oxe-cc:install-begin -->") && t.contains("<!-- oxe-cc:install-end -->")
    })
}

fn other_managed_blocks(p: &Path) -> bool {
    let Some(mut text) = read_text(p) else {
        return false;
    };
    while let (Some(b), Some(e)) = (
        text.find("<!-- oxe-cc:install-begin -->"),
        text.find("<!-- oxe-cc:install-end -->"),
    ) {
        if e < b {
            break;
        }
        text.replace_range(b..e + "<!-- oxe-cc:install-end -->".len(), "");
    }
    let rest = text.trim();
    if rest.is_empty() {
        return false;
    }
    let mut from = 0;
    while let Some(s) = rest[from..].find("<!--") {
        let start = from + s + 4;
        let Some(e) = rest[start..].find('>') else {
            break;
        };
        let inner = rest[start..start + e].to_lowercase();
        if ["managed", "configuration", "install-begin", "install-end"]
            .iter()
            .any(|w| inner.contains(w))
        {
            return true;
        }
        from = start;
    }
    false
}

fn refs(text: &str, needle: &str) -> bool {
    jstext::find_all(text, needle, true, 0).any(|at| {
        at == 0
            || text[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_whitespace() || "`\"'(".contains(c))
    })
}

fn prompt_path_warnings(file: &Path, proj: &Path, lang: Lang) -> Vec<String> {
    let Some(text) = read_text(file) else {
        return Vec::new();
    };
    let classic = refs(&text, "oxe/workflows/");
    let nested = refs(&text, ".oxe/workflows/");
    let ce = proj.join("oxe").join("workflows").exists();
    let ne = proj.join(".oxe").join("workflows").exists();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut w = Vec::new();
    if ne && !ce && classic && !nested {
        w.push(t(
            lang,
            &format!("{name} points to oxe/workflows/, but this project uses .oxe/workflows/"),
            &format!("{name} aponta para oxe/workflows/, mas este projeto usa .oxe/workflows/"),
        ));
    }
    if ce && !ne && nested && !classic {
        w.push(t(
            lang,
            &format!("{name} points to .oxe/workflows/, but this project uses oxe/workflows/"),
            &format!("{name} aponta para .oxe/workflows/, mas este projeto usa oxe/workflows/"),
        ));
    }
    w
}

/// `copilotLegacyPaths()` root.
fn copilot_legacy_root(env: &HealthEnv) -> PathBuf {
    for k in ["COPILOT_CONFIG_DIR", "COPILOT_HOME"] {
        if let Some(v) = env.vars.get(k).filter(|v| !v.is_empty()) {
            return PathBuf::from(v);
        }
    }
    env.home().unwrap_or_default().join(".copilot")
}

/// `copilotIntegrationReport(proj)`.
pub fn copilot_report(proj: &Path, env: &HealthEnv) -> Value {
    let lang = env.lang;
    let root = proj.join(".github");
    let prompts = root.join("prompts");
    let instructions = root.join("copilot-instructions.md");
    let manifest_path = proj
        .join(".oxe")
        .join("install")
        .join("copilot-vscode.json");
    let lroot = copilot_legacy_root(env);
    let lprompts = lroot.join("prompts");
    let linstr = lroot.join("copilot-instructions.md");
    let wfiles = prompt_files(&prompts);
    let lfiles = prompt_files(&lprompts);
    let w_instr = instructions.exists();
    let w_block = has_oxe_block(&instructions);
    let l_instr = linstr.exists();
    let l_block = has_oxe_block(&linstr);
    let l_other = other_managed_blocks(&linstr);
    let manifest = read_json(&manifest_path);
    let mut path_warns = Vec::new();
    for f in &wfiles {
        path_warns.extend(prompt_path_warnings(Path::new(f), proj, lang));
    }
    path_warns.extend(prompt_path_warnings(&instructions, proj, lang));
    let w_det = !wfiles.is_empty() || w_instr || manifest_path.exists();
    let l_det = !lfiles.is_empty() || l_block;
    let mut w = Vec::new();
    if !wfiles.is_empty() && !w_instr {
        w.push(t(lang, "OXE Copilot prompts exist in the workspace, but .github/copilot-instructions.md is missing", "Prompts OXE do Copilot existem no workspace, mas .github/copilot-instructions.md está ausente"));
    } else if w_instr && !w_block {
        w.push(t(
            lang,
            ".github/copilot-instructions.md exists but has no OXE block",
            ".github/copilot-instructions.md existe, mas não contém o bloco OXE",
        ));
    }
    if w_instr && wfiles.is_empty() && !l_det {
        w.push(t(
            lang,
            ".github/copilot-instructions.md exists, but .github/prompts/ has no OXE prompt files",
            ".github/copilot-instructions.md existe, mas .github/prompts/ não tem prompt files OXE",
        ));
    }
    if !w_det && l_det {
        w.push(t(lang, "OXE Copilot prompts were found only in the legacy global ~/.copilot/; install them in the workspace .github/", "Prompts OXE do Copilot encontrados só no legado global ~/.copilot/; instale-os em .github/ no workspace"));
    }
    if !lfiles.is_empty() {
        w.push(t(lang, "Legacy Copilot install found in ~/.copilot/prompts/; remove it with uninstall --copilot-legacy-clean", "Instalação legada do Copilot em ~/.copilot/prompts/; remova com uninstall --copilot-legacy-clean"));
    }
    if l_block {
        w.push(t(
            lang,
            "Legacy OXE block found in ~/.copilot/copilot-instructions.md",
            "Bloco OXE legado em ~/.copilot/copilot-instructions.md",
        ));
    }
    if l_other {
        w.push(t(lang, "The global copilot-instructions holds blocks managed by another framework; they may affect Copilot's answers", "O copilot-instructions global tem blocos geridos por outro framework; isso pode afetar as respostas do Copilot"));
    }
    let manifest_value = match &manifest {
        Ok(Some(v)) => v.clone(),
        _ => Value::Null,
    };
    match &manifest {
        Err(e) => w.push(t(
            lang,
            &format!("Invalid Copilot manifest: {e}"),
            &format!("Manifesto do Copilot inválido: {e}"),
        )),
        Ok(None) if !wfiles.is_empty() => w.push(t(
            lang,
            "Manifest .oxe/install/copilot-vscode.json is missing for the Copilot integration",
            "Manifesto .oxe/install/copilot-vscode.json ausente para a integração Copilot",
        )),
        Ok(Some(m)) => {
            if let Some(list) = m.get("prompt_files").and_then(Value::as_array) {
                let actual: Vec<String> = wfiles
                    .iter()
                    .filter_map(|f| {
                        Path::new(f)
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                    })
                    .collect();
                let mut expected: Vec<String> =
                    list.iter().map(oxe_runtime::jsjson::js_string).collect();
                expected.sort();
                for name in expected {
                    if !actual.contains(&name) {
                        w.push(t(lang, &format!("The Copilot manifest lists {name}, but it is not in .github/prompts/"), &format!("O manifesto do Copilot lista {name}, mas o arquivo não está em .github/prompts/")));
                    }
                }
            }
        }
        _ => {}
    }
    let n_path = path_warns.len();
    w.extend(path_warns);
    let status = if !wfiles.is_empty() && w_instr && w_block && n_path == 0 {
        if w.is_empty() {
            "healthy"
        } else {
            "warning"
        }
    } else if w_det || l_det {
        if n_path > 0 || (!wfiles.is_empty() && (!w_instr || !w_block)) {
            "broken"
        } else {
            "warning"
        }
    } else {
        "not_installed"
    };
    json!({
        "status": status,
        "detected": w_det || l_det,
        "target": "workspace",
        "promptSource": if !wfiles.is_empty() { "workspace" } else if l_det { "legacy_global" } else { "missing" },
        "workspace": {
            "root": path_str(&root), "promptsDir": path_str(&prompts), "instructions": path_str(&instructions),
            "manifest": path_str(&manifest_path), "promptFiles": wfiles, "hasInstructions": w_instr, "hasOxeBlock": w_block,
        },
        "legacy": {
            "root": path_str(&lroot), "promptsDir": path_str(&lprompts), "instructions": path_str(&linstr),
            "promptFiles": lfiles, "hasInstructions": l_instr, "hasOxeBlock": l_block,
            "hasOtherManagedBlocks": l_other, "detected": l_det,
        },
        "manifest": manifest_value,
        "warnings": w,
    })
}

/// `isAzureContextEnabled(proj, config)`.
fn azure_active(proj: &Path, cfg: &MergedConfig) -> bool {
    crate::azure::is_context_enabled(proj, &Value::Object(cfg.config.clone()))
}

fn step(step: &str, cmd: &str, reason: String, artifacts: &[&str]) -> Value {
    json!({"step": step, "cursorCmd": cmd, "reason": reason, "artifacts": artifacts})
}

/// `suggestNextStep(proj, cfg)`.
pub fn suggest_next_step(proj: &Path, cfg: &MergedConfig, lang: Lang) -> Value {
    let base = OxePaths::new(proj, None);
    let state_text = read_text(&base.state).unwrap_or_default();
    let session = state::parse_active_session(&state_text);
    let p = OxePaths::new(proj, session.as_deref());
    let threshold = {
        let n = cfg.num("plan_confidence_threshold");
        if n == 0.0 {
            70.0
        } else {
            n
        }
    };
    let tr = |en: &str, pt: &str| t(lang, en, pt);
    if !p.oxe.exists() || !p.state.exists() {
        return step(
            "scan",
            "/oxe-scan",
            tr(
                "No .oxe/ folder or STATE.md: run oxe-cc init-oxe, then the first scan",
                "Pasta .oxe/ ou STATE.md ausente: rode oxe-cc init-oxe e depois o primeiro scan",
            ),
            &[".oxe/"],
        );
    }
    let phase = state::parse_state_phase(&state_text);
    if !maps_complete(&p) && !p.quick.exists() {
        return step("scan", "/oxe-scan", tr("The codebase maps are incomplete and there is no QUICK.md: refresh the context with a scan", "Mapas do codebase incompletos e sem QUICK.md: atualize o contexto com scan"), &[".oxe/codebase/"]);
    }
    if azure_active(proj, cfg) {
        let auth = read_json(
            &proj
                .join(".oxe")
                .join("cloud")
                .join("azure")
                .join("auth-status.json"),
        )
        .ok()
        .flatten();
        if !auth
            .as_ref()
            .and_then(|a| a.get("login_active"))
            .is_some_and(oxe_runtime::jsjson::truthy)
        {
            return step(
                "azure-auth",
                "npx oxe-cc azure auth login",
                tr(
                    "Azure context is active but there is no signed-in Azure CLI session",
                    "Contexto Azure ativo, mas sem sessão autenticada na Azure CLI",
                ),
                &[
                    ".oxe/cloud/azure/profile.json",
                    ".oxe/cloud/azure/auth-status.json",
                ],
            );
        }
        if let Some(next) = crate::azure::status::next_step_after_login(
            proj,
            &Value::Object(cfg.config.clone()),
            lang,
        ) {
            return next;
        }
    }
    if phase.as_deref() == Some("quick_active") || (p.quick.exists() && !p.plan.exists()) {
        return step("execute", "/oxe-execute", tr("QUICK mode is active or there is no PLAN: carry out the QUICK.md steps, then /oxe-verify; if the work grew, use /oxe-spec", "Modo QUICK ativo ou sem PLAN: execute os passos do QUICK.md e depois /oxe-verify; se o trabalho cresceu, use /oxe-spec"), &[".oxe/QUICK.md", ".oxe/STATE.md"]);
    }
    if !p.spec.exists() {
        return step(
            "spec",
            "/oxe-spec",
            tr(
                "No SPEC.md: write the contract before the plan (or /oxe-quick for a small task)",
                "Sem SPEC.md: defina o contrato antes do plano (ou /oxe-quick para algo pontual)",
            ),
            &[".oxe/SPEC.md"],
        );
    }
    if cfg.truthy("discuss_before_plan") && !p.discuss.exists() {
        return step("discuss", "/oxe-discuss", tr("discuss_before_plan is on and DISCUSS.md does not exist: settle the decisions before planning", "discuss_before_plan está ativo e DISCUSS.md não existe: alinhe as decisões antes do plano"), &[".oxe/DISCUSS.md"]);
    }
    if !p.plan.exists() {
        return step(
            "plan",
            "/oxe-plan",
            tr(
                "SPEC exists but PLAN.md does not: write the plan with a check per task",
                "SPEC existe mas PLAN.md não: gere o plano com verificação por tarefa",
            ),
            &[".oxe/PLAN.md"],
        );
    }
    let se = plan_self_evaluation(&p.plan, lang);
    if se["bestPlan"] == json!("não") || se["confidence"].as_f64().is_some_and(|c| c < threshold) {
        let th = oxe_runtime::jsjson::number_to_js_string(threshold);
        return step(
            "plan",
            "/oxe-plan --replan",
            t(
                lang,
                &format!(
                    "The current plan has not reached executable confidence yet (threshold {th}%)"
                ),
                &format!("O plano atual ainda não atingiu confiança executável (limiar {th}%)"),
            ),
            &[".oxe/PLAN.md", ".oxe/STATE.md"],
        );
    }
    let review = state::parse_plan_review_status(&state_text);
    if phase.as_deref() == Some("plan_ready") {
        match review.as_deref() {
            Some(r @ ("needs_revision" | "rejected")) => {
                return step(
                    "plan",
                    "/oxe-plan --replan",
                    t(
                        lang,
                        &format!("Plan review is {r}: fix the plan before executing"),
                        &format!("Revisão do plano em {r}: ajuste o plano antes de executar"),
                    ),
                    &[".oxe/PLAN.md", ".oxe/PLAN-REVIEW.md", ".oxe/STATE.md"],
                );
            }
            None | Some("draft" | "in_review") => {
                return step(
                    "dashboard",
                    "/oxe-dashboard",
                    tr(
                        "The plan is ready but has not been reviewed and approved yet",
                        "Plano pronto, mas ainda sem revisão/aprovação",
                    ),
                    &[".oxe/PLAN.md", ".oxe/PLAN-REVIEW.md", ".oxe/STATE.md"],
                );
            }
            _ => {}
        }
    }
    let run = read_run_state(&p);
    match run
        .as_ref()
        .and_then(|r| r.get("status"))
        .and_then(Value::as_str)
    {
        Some("waiting_approval") => {
            return step(
                "dashboard",
                "/oxe-dashboard",
                tr(
                    "The active run is waiting for a formal approval",
                    "O ACTIVE-RUN aguarda aprovação formal",
                ),
                &[
                    ".oxe/ACTIVE-RUN.json",
                    ".oxe/CHECKPOINTS.md",
                    ".oxe/OXE-EVENTS.ndjson",
                ],
            );
        }
        Some("paused") => {
            return step(
                "execute",
                "/oxe-execute",
                tr(
                    "The active run is paused: resume it from its cursor",
                    "O ACTIVE-RUN está pausado: retome a partir do cursor atual",
                ),
                &[".oxe/ACTIVE-RUN.json", ".oxe/EXECUTION-RUNTIME.md"],
            );
        }
        _ => {}
    }
    if bold_value_in(&state_text, "checkpoint_status:", &["pending_approval"]) {
        return step(
            "execute",
            "/oxe-execute",
            tr(
                "A checkpoint is waiting for approval: resolve it before going on",
                "Há checkpoint pendente de aprovação: resolva-o antes de avançar",
            ),
            &[".oxe/CHECKPOINTS.md", ".oxe/STATE.md"],
        );
    }
    let Some(verify) = read_text(&p.verify) else {
        return step("execute", "/oxe-execute", tr("PLAN.md exists and VERIFY.md does not yet: execute the current wave, then run /oxe-verify", "PLAN.md existe e VERIFY.md ainda não: execute a onda atual e depois rode /oxe-verify"), &[".oxe/PLAN.md", ".oxe/STATE.md"]);
    };
    let phase_low = phase.clone().unwrap_or_default().to_lowercase();
    if phase_low == "verify_failed" || word_in(&state_text, "verify_failed") {
        return step("plan", "/oxe-plan", tr("STATE says verify_failed: read VERIFY.md and SUMMARY.md, then fix or replan (--replan)", "STATE indica verify_failed: leia VERIFY.md e SUMMARY.md, corrija ou replaneje (--replan)"), &[".oxe/VERIFY.md", ".oxe/PLAN.md"]);
    }
    if let Some(gaps) = section_body(&verify, "Gaps") {
        let g = gaps.trim();
        let low = g.to_lowercase();
        let negligible = g.chars().count() < 12
            || low.lines().any(|l| {
                [
                    "nenhum",
                    "none",
                    "n/a",
                    "- nenhum",
                    "sem gaps",
                    "não há gaps",
                    "não ha gaps",
                ]
                .iter()
                .any(|p| l.starts_with(p))
            });
        if !negligible {
            return step(
                "plan",
                "/oxe-plan",
                tr(
                    "VERIFY.md lists gaps: handle them or replan; update SUMMARY.md if needed",
                    "VERIFY.md lista gaps: trate-os ou replaneje; atualize SUMMARY.md se aplicável",
                ),
                &[".oxe/VERIFY.md"],
            );
        }
    }
    let failed = ["falhou", "fail"].iter().any(|w| word_in(&verify, w));
    let no_cell = verify.split('|').skip(1).any(|c| {
        let c = c.trim().to_lowercase();
        matches!(c.as_str(), "não" | "no" | "false")
    });
    if failed && no_cell {
        return step(
            "plan",
            "/oxe-plan",
            tr(
                "VERIFY.md reports checks that did not pass: fix them or replan",
                "VERIFY.md indica verificações não aprovadas: corrija ou replaneje",
            ),
            &[".oxe/VERIFY.md"],
        );
    }
    if phase_low == "verify_complete" || word_in(&state_text, "verify_complete") {
        let lessons = proj.join(".oxe").join("LESSONS.md").exists();
        let retro =
            ci_contains(&state_text, "last_retro:") || ci_contains(&state_text, "last_retro :");
        if !lessons || !retro {
            return step("retro", "/oxe-retro", tr("Verify is complete: record the lessons of this cycle in .oxe/LESSONS.md for the next spec and plan", "Verify completo: registre as lições do ciclo em .oxe/LESSONS.md para o próximo spec/plan"), &[".oxe/LESSONS.md"]);
        }
    }
    step("next", "/oxe-next", tr("Artifacts are consistent: /oxe-next confirms the single next step; use /oxe-spec or /oxe-quick for new work", "Artefatos coerentes: /oxe-next confirma o passo único; use /oxe-spec ou /oxe-quick para nova entrega"), &[".oxe/STATE.md", ".oxe/VERIFY.md"])
}

/// `\b<word>\b`, case-insensitively.
fn word_in(text: &str, word: &str) -> bool {
    jstext::find_all(text, word, true, 0).any(|at| {
        jstext::is_word_boundary(text, at) && jstext::is_word_boundary(text, at + word.len())
    })
}

fn iso(ms: Option<f64>) -> Value {
    ms.map_or(Value::Null, |m| json!(crate::jsdate::to_iso(m)))
}

fn stale_value(s: (bool, Option<f64>)) -> Value {
    json!({"stale": s.0, "days": s.1})
}

/// `runtimeWarnings(stateText, paths)`.
pub fn runtime_warnings(state_text: &str, p: &OxePaths, lang: Lang) -> Vec<String> {
    let tr = |en: &str, pt: &str| t(lang, en, pt);
    let mut runtime_warn = Vec::new();
    if bold_value_in(state_text, "checkpoint_status:", &["pending_approval"])
        && !p.checkpoints.exists()
    {
        runtime_warn.push(tr(
            "STATE.md says a checkpoint is pending, but the checkpoint index does not exist",
            "STATE.md indica checkpoint pendente, mas o índice de checkpoints não existe",
        ));
    }
    if bold_value_in(
        state_text,
        "runtime_status:",
        &["blocked", "waiting_approval", "failed"],
    ) && !p.runtime.exists()
    {
        runtime_warn.push(tr(
            "STATE.md says the runtime is blocked, but EXECUTION-RUNTIME.md does not exist",
            "STATE.md indica runtime bloqueado, mas EXECUTION-RUNTIME.md não existe",
        ));
    }
    if let Some(raw) = read_text(&p.runtime) {
        for (needle, label) in [
            ("Checkpoints", "Checkpoints"),
            ("Agentes ativos", "Agentes ativos"),
        ] {
            let found = jstext::find_all(&raw, "##", false, 0).any(|at| {
                let q = jstext::ws_end(&raw, at + 2);
                jstext::eat(&raw, q, needle, true).is_some()
            });
            if !found {
                runtime_warn.push(t(
                    lang,
                    &format!("EXECUTION-RUNTIME.md has no \"{label}\" section"),
                    &format!("EXECUTION-RUNTIME.md sem seção \"{label}\""),
                ));
            }
        }
        if !ci_contains(&raw, "Run ID") {
            runtime_warn.push(tr(
                "EXECUTION-RUNTIME.md does not name its Run ID",
                "EXECUTION-RUNTIME.md sem referência explícita de Run ID",
            ));
        }
        if !ci_contains(&raw, "Tracing operacional") {
            runtime_warn.push(tr(
                "EXECUTION-RUNTIME.md has no \"Tracing operacional\" section",
                "EXECUTION-RUNTIME.md sem seção \"Tracing operacional\"",
            ));
        }
    }
    if !p.active_run.exists() {
        runtime_warn.push(tr(
            "ACTIVE-RUN.json does not exist for the current scope",
            "ACTIVE-RUN.json não existe para o escopo atual",
        ));
    }
    if !p.events.exists() {
        runtime_warn.push(tr(
            "OXE-EVENTS.ndjson does not exist for the current scope",
            "OXE-EVENTS.ndjson não existe para o escopo atual",
        ));
    }
    runtime_warn
}

/// `verifyGapsWithoutSummaryWarning(verifyPath, summaryPath)`.
pub fn verify_gap_warning(verify: &Path, summary: &Path, lang: Lang) -> Option<String> {
    let v = read_text(verify)?;
    let body = section_body(&v, "Gaps")?;
    (body.trim().chars().count() >= 12 && !summary.exists()).then(|| {
        t(lang, "VERIFY.md has a Gaps section with content but .oxe/SUMMARY.md does not exist; create it from the SUMMARY template before replanning", "VERIFY.md tem seção Gaps com conteúdo, mas .oxe/SUMMARY.md não existe; crie-o a partir do template SUMMARY antes de replanejar")
    })
}

/// `specSectionWarnings(specPath, headings)`.
pub fn spec_section_warnings(spec: &Path, headings: &[String], lang: Lang) -> Vec<String> {
    let mut spec_warn = Vec::new();
    if let Some(text) = read_text(spec) {
        for h in headings {
            let h = h.trim();
            let needle = if h.starts_with("##") {
                h.to_string()
            } else {
                format!("## {h}")
            };
            if !text.contains(&needle) {
                spec_warn.push(t(lang, &format!("SPEC.md must contain the section \"{needle}\" (config spec_required_sections)"), &format!("SPEC.md deve conter a seção \"{needle}\" (config spec_required_sections)")));
            }
        }
    }
    spec_warn
}

/// `capabilityWarnings(paths)`.
pub fn capability_warnings(p: &OxePaths, lang: Lang) -> Vec<String> {
    let mut w = Vec::new();
    if p.capabilities_dir.exists() && !p.capabilities_index.exists() {
        w.push(t(
            lang,
            "There are capabilities in .oxe/capabilities/ but .oxe/CAPABILITIES.md does not exist",
            "Existem capabilities em .oxe/capabilities/, mas .oxe/CAPABILITIES.md não existe",
        ));
    }
    // Catalog problems (bad type, missing approval policy…) of the project
    // that holds this `.oxe/`.
    if let Some(root) = p.oxe.parent() {
        w.extend(crate::runtime_cmd::extras::capability_catalog_warnings(
            root, lang,
        ));
    }
    w
}

/// `investigationWarnings(paths)`.
pub fn investigation_warnings(p: &OxePaths, lang: Lang) -> Vec<String> {
    let mut w = Vec::new();
    if p.investigations_dir.exists() && !p.investigations_index.exists() {
        w.push(t(
            lang,
            "There is an investigations folder but no INVESTIGATIONS.md index",
            "Existe pasta de investigações, mas falta o índice INVESTIGATIONS.md",
        ));
    }
    w
}

/// The context packs health looks at (`dashboard`, the suggested next
/// step, and the phase's workflow, when they have a contract), inspected
/// without writing: `(contextPacks, contextQuality, packFreshness,
/// contextWarn)`. Fallback and staleness warn only once the context index
/// exists (packs were built at least once).
fn context_pack_report(
    proj: &Path,
    sem: &crate::runtime_semantics::Semantics,
    session: Option<&str>,
    phase: Option<&str>,
    next_step: Option<&str>,
    materialized: bool,
    lang: Lang,
) -> (Value, Value, Value, Vec<String>) {
    let mut wanted: Vec<String> = Vec::new();
    let by_phase = match phase {
        Some("planning") => Some("plan"),
        Some("executing") => Some("execute"),
        Some("verifying") => Some("verify"),
        _ => None,
    };
    for w in [Some("dashboard"), next_step, by_phase]
        .into_iter()
        .flatten()
    {
        if !w.is_empty() && !wanted.iter().any(|x| x == w) && sem.workflow_contract(w).is_some() {
            wanted.push(w.to_string());
        }
    }
    let now = oxe_runtime::clock::now_ms() as f64;
    let mut packs = Map::new();
    let mut fresh = Map::new();
    let mut by_wf = Map::new();
    let mut warn = Vec::new();
    for w in &wanted {
        let pack = match crate::context_cmd::pack::inspect_pack(
            sem,
            proj,
            w,
            "standard",
            Some(session),
            now,
        ) {
            Ok(p) => p,
            Err(e) => {
                warn.push(t(
                    lang,
                    &format!("Context pack {w}: inspection failed: {e}"),
                    &format!("Context pack {w} — falha na inspeção: {e}"),
                ));
                continue;
            }
        };
        let pick = |k: &str| pack.get(k).cloned().unwrap_or(Value::Null);
        let selected: Vec<Value> = pack["selected_artifacts"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| {
                        json!({"alias": x["alias"], "path": x["path"], "exists": x["exists"], "required": x["required"],
                            "using_fallback": x["using_fallback"], "scope": x["scope"], "summary": x["summary"]})
                    })
                    .collect()
            })
            .unwrap_or_default();
        packs.insert(
            w.clone(),
            json!({
                "path": pick("path"), "context_tier": pick("context_tier"), "semantics_hash": pick("semantics_hash"),
                "read_order": pick("read_order"), "selected_artifacts": selected, "gaps": pick("gaps"),
                "conflicts": pick("conflicts"), "fallback_required": pick("fallback_required"),
                "freshness": pick("freshness"), "context_quality": pick("context_quality"),
            }),
        );
        fresh.insert(w.clone(), pick("freshness"));
        by_wf.insert(w.clone(), pick("context_quality"));
        if materialized && oxe_runtime::jsjson::truthy(&pack["fallback_required"]) {
            warn.push(t(
                lang,
                &format!("Context pack {w} needs an explicit fallback to direct reading."),
                &format!("Context pack {w} exige fallback explícito para leitura direta."),
            ));
        }
        if materialized && pack["freshness"]["stale"] == json!(true) {
            let reason = oxe_runtime::jsjson::js_string(&pack["freshness"]["reason"]);
            warn.push(t(
                lang,
                &format!("Context pack {w} is stale ({reason})."),
                &format!("Context pack {w} stale ({reason})."),
            ));
        }
    }
    let primary = if packs.contains_key("dashboard") {
        Some("dashboard".to_string())
    } else {
        packs.keys().next().cloned()
    };
    let quality = match &primary {
        Some(w) => json!({
            "primaryWorkflow": w,
            "primaryScore": packs[w]["context_quality"]["score"],
            "primaryStatus": packs[w]["context_quality"]["status"],
            "byWorkflow": by_wf,
        }),
        None => {
            json!({"primaryWorkflow": null, "primaryScore": null, "primaryStatus": null, "byWorkflow": by_wf})
        }
    };
    (Value::Object(packs), quality, Value::Object(fresh), warn)
}

/// `buildHealthReport(proj)`.
pub fn build_health_report(proj: &Path, env: &HealthEnv) -> Value {
    let lang = env.lang;
    let now = now_ms();
    let cfg = load_oxe_config_merged(proj, &env.vars, lang);
    let (unknown, type_errors) = validate_config_shape(&cfg.config, lang);
    let base = OxePaths::new(proj, None);
    let state_text = read_text(&base.state).unwrap_or_default();
    let session = state::parse_active_session(&state_text);
    let p = OxePaths::new(proj, session.as_deref());
    let phase = state::parse_state_phase(&state_text);
    let scan = state::parse_last_scan_date(&state_text);
    let compact = state::parse_last_compact_date(&state_text);
    let retro = state::parse_last_retro_date(&state_text);
    let stale = is_stale(scan, cfg.num("scan_max_age_days"), now);
    let stale_compact = is_stale(compact, cfg.num("compact_max_age_days"), now);
    let stale_lessons = is_stale(retro, cfg.num("lessons_max_age_days"), now);
    let tr = |en: &str, pt: &str| t(lang, en, pt);
    let phase_warn = phase
        .as_deref()
        .map(|ph| phase_warnings(ph, &p, lang))
        .unwrap_or_default();
    let runtime_warn = runtime_warnings(&state_text, &p, lang);
    // summary gap
    let sum_warn = verify_gap_warning(&p.verify, &p.summary, lang);
    let spec_warn = spec_section_warnings(&p.spec, &cfg.strings("spec_required_sections"), lang);
    let threshold = {
        let n = cfg.num("plan_confidence_threshold");
        if n == 0.0 {
            70.0
        } else {
            n
        }
    };
    let capability_warn = capability_warnings(&p, lang);
    let investigation_warn = investigation_warnings(&p, lang);
    let plan_warn = plan_warnings(&p, &cfg, threshold, proj, lang);
    let mut session_warn = Vec::new();
    let mut session_broken = false;
    if let Some(s) = session.as_deref() {
        let ok_fmt = s.strip_prefix("sessions/s").is_some_and(|r| {
            r.len() >= 4 && r[..3].bytes().all(|b| b.is_ascii_digit()) && r.as_bytes()[3] == b'-'
        });
        if !ok_fmt {
            session_warn.push(t(
                lang,
                &format!("active_session \"{s}\" does not follow the sessions/sNNN-slug format"),
                &format!("active_session \"{s}\" não segue o formato sessions/sNNN-slug"),
            ));
        }
        let root = p.session_root.clone().unwrap_or_default();
        if !root.exists() {
            session_warn.push(t(
                lang,
                &format!(
                    "active_session points to {s}, but that session folder does not exist in .oxe/"
                ),
                &format!(
                    "active_session aponta para {s}, mas a pasta da sessão não existe em .oxe/"
                ),
            ));
            session_broken = true;
        } else {
            if !p.session_manifest.as_ref().is_some_and(|m| m.exists()) {
                session_warn.push(t(
                    lang,
                    &format!("Active session {s} has no SESSION.md"),
                    &format!("Sessão ativa {s} sem SESSION.md"),
                ));
                session_broken = true;
            }
            if !base.sessions_index.exists() {
                session_warn.push(tr(
                    "An active session is set, but .oxe/SESSIONS.md does not exist",
                    "Sessão ativa definida, mas .oxe/SESSIONS.md não existe",
                ));
            }
        }
    }
    let mut install_warn = Vec::new();
    if base.oxe.exists() {
        for (path, label) in [
            (&base.global_dir, ".oxe/global/"),
            (&base.global_lessons, ".oxe/global/LESSONS.md"),
            (&base.global_milestones, ".oxe/global/MILESTONES.md"),
            (&base.global_milestones_dir, ".oxe/global/milestones/"),
            (&base.sessions_dir, ".oxe/sessions/"),
            (&base.capabilities_dir, ".oxe/capabilities/"),
            (&base.capabilities_index, ".oxe/CAPABILITIES.md"),
            (&base.investigations_dir, ".oxe/investigations/"),
            (&base.investigations_index, ".oxe/INVESTIGATIONS.md"),
            (&base.runtime, ".oxe/EXECUTION-RUNTIME.md"),
            (&base.checkpoints, ".oxe/CHECKPOINTS.md"),
            (&base.active_run, ".oxe/ACTIVE-RUN.json"),
            (&base.runs_dir, ".oxe/runs/"),
            (&base.events, ".oxe/OXE-EVENTS.ndjson"),
        ] {
            if !path.exists() {
                install_warn.push(t(
                    lang,
                    &format!("{label} is missing"),
                    &format!("{label} ausente"),
                ));
            }
        }
    }
    let copilot = copilot_report(proj, env);
    let copilot_warn = copilot["warnings"].clone();
    let review = state::parse_plan_review_status(&state_text);
    let mut review_warn = Vec::new();
    if p.plan.exists() && review.is_none() {
        review_warn.push(tr(
            "PLAN.md exists, but STATE.md declares no plan_review_status",
            "PLAN.md existe, mas STATE.md não declara plan_review_status",
        ));
    }
    if review.is_some() && !p.plan_review.exists() {
        review_warn.push(tr(
            "STATE.md declares a plan review, but PLAN-REVIEW.md does not exist",
            "STATE.md declara revisão do plano, mas PLAN-REVIEW.md não existe",
        ));
    }
    if let Some(r @ ("needs_revision" | "rejected")) = review.as_deref() {
        review_warn.push(t(
            lang,
            &format!("Plan is {r}: it needs another review before execution"),
            &format!("Plano em estado {r}: revisão adicional necessária antes de executar"),
        ));
    }
    let plan_self = plan_self_evaluation(&p.plan, lang);
    let run = read_run_state(&p);
    // One read of the trace (1.4.0's operational readEvents) serves the
    // events summary and the recovery check.
    let trace = crate::runtime_cmd::ops::Op::new(proj, session.as_deref(), lang)
        .read_events()
        .unwrap_or_default();
    let events = summarize_events(&trace);
    let layers = memory_layers(proj, session.as_deref(), &p);
    let ent = enterprise(
        proj,
        run.as_ref(),
        session.as_deref(),
        &cfg,
        lang,
        now,
        &trace,
    );
    let az_active = azure_active(proj, &cfg);
    // 1.4.0 runs a read-only `azureDoctor` (it spawns `az`) when active.
    let azure = crate::azure::status::health_summary(
        proj,
        &Value::Object(cfg.config.clone()),
        &env.vars,
        lang,
    );
    let next = suggest_next_step(proj, &cfg, lang);
    // context: summary refs (packs are inspected by the context engine)
    let summaries = proj.join(".oxe").join("context").join("summaries");
    let safe_phase: String = phase
        .clone()
        .unwrap_or_else(|| "unknown".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let session_key = session.as_deref().map(|s| {
        s.strip_prefix("sessions/")
            .unwrap_or(s)
            .replace(['\\', '/'], "__")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect::<String>()
    });
    let summary_refs = json!({
        "project": path_str(&summaries.join("project.json")),
        "session": session_key.map(|k| path_str(&summaries.join(format!("session-{k}.json")))),
        "phase": path_str(&summaries.join(format!("phase-{safe_phase}.json"))),
    });
    // semantics
    let mut semantics_warn = Vec::new();
    let sem_manifest = read_json(&base.runtime_semantics_manifest);
    let targets_present = [
        proj.join(".github").join("prompts"),
        proj.join("commands").join("oxe"),
        proj.join(".cursor").join("commands"),
    ]
    .iter()
    .any(|d| d.exists());
    if targets_present && !matches!(sem_manifest, Ok(Some(_))) {
        semantics_warn.push(tr("runtime-semantics.json is missing or invalid; run `npx oxe-cc update` to sync the semantics manifest.", "runtime-semantics.json ausente ou inválido; rode `npx oxe-cc update` para sincronizar o manifest semântico."));
    }
    if let Err(e) = &sem_manifest {
        semantics_warn.push(t(
            lang,
            &format!("runtime-semantics.json is invalid: {e}"),
            &format!("runtime-semantics.json inválido: {e}"),
        ));
    }
    let sem = crate::runtime_semantics::Semantics::load(&env.package_root);
    let contract_version = sem.contract_version().to_string();
    let audit = sem.audit_runtime_targets(proj);
    let manifest_data = match &sem_manifest {
        Ok(Some(v)) => v.clone(),
        _ => Value::Null,
    };
    if let Some(cv) = manifest_data
        .get("contract_version")
        .filter(|v| oxe_runtime::jsjson::truthy(v))
    {
        let cv = oxe_runtime::jsjson::js_string(cv);
        if cv != contract_version {
            semantics_warn.push(t(
                lang,
                &format!("The semantics manifest is at version {cv}; expected {contract_version}."),
                &format!("Manifest semântico na versão {cv}; esperado {contract_version}."),
            ));
        }
    }
    let registry_issues: Vec<String> = audit["registryIssues"]
        .as_array()
        .map(|a| a.iter().map(oxe_runtime::jsjson::js_string).collect())
        .unwrap_or_default();
    semantics_warn.extend(registry_issues);
    let mismatches = audit["mismatches"].as_array().cloned().unwrap_or_default();
    if !mismatches.is_empty() {
        let n = mismatches.len();
        semantics_warn.push(t(
            lang,
            &format!("{n} wrapper(s) with semantic drift detected."),
            &format!("{n} wrapper(s) com drift semântico detectado."),
        ));
    }
    let targets: Map<String, Value> = audit["targets"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(name, v)| {
                    (
                        name.clone(),
                        json!({"path": v["path"], "checked": v["checked"], "missing": v["missing"]}),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let audit_ok = audit["ok"] == json!(true);
    let semantics = json!({
        "ok": semantics_warn.is_empty() && audit_ok,
        "contractVersion": contract_version,
        "manifestPath": path_str(&base.runtime_semantics_manifest),
        "manifest": manifest_data,
        "audit": {
            "ok": audit_ok,
            "warnings": audit["warnings"],
            "mismatchCount": mismatches.len(),
            "mismatches": mismatches,
            "targets": targets,
        },
    });
    let (context_packs, context_quality, pack_freshness, context_warn) = context_pack_report(
        proj,
        &sem,
        session.as_deref(),
        phase.as_deref(),
        next.get("step").and_then(Value::as_str),
        base.context_index.exists(),
        lang,
    );
    let ent_warn_n = ent
        .get("enterpriseWarn")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let copilot_n = copilot_warn.as_array().map_or(0, Vec::len);
    let hard = cfg.parse_error.is_some() || session_broken;
    let count = phase_warn.len()
        + runtime_warn.len()
        + review_warn.len()
        + ent_warn_n
        + spec_warn.len()
        + plan_warn.len()
        + capability_warn.len()
        + investigation_warn.len()
        + session_warn.len()
        + install_warn.len()
        + copilot_n
        + context_warn.len()
        + semantics_warn.len()
        + usize::from(sum_warn.is_some());
    let health = if hard {
        "broken"
    } else if count > 0 {
        "warning"
    } else {
        "healthy"
    };
    let mut r = Map::new();
    let mut put = |k: &str, v: Value| {
        r.insert(k.to_string(), v);
    };
    put("configPath", json!(cfg.path));
    put("configParseError", json!(cfg.parse_error));
    put("unknownConfigKeys", json!(unknown));
    put("typeErrors", json!(type_errors));
    put("phase", json!(phase));
    put("activeSession", json!(session));
    put("scanDate", iso(scan));
    put("stale", stale_value(stale));
    put("compactDate", iso(compact));
    put("staleCompact", stale_value(stale_compact));
    put("retroDate", iso(retro));
    put("staleLessons", stale_value(stale_lessons));
    put("phaseWarn", json!(phase_warn));
    put("runtimeWarn", json!(runtime_warn));
    put("reviewWarn", json!(review_warn));
    put("capabilityWarn", json!(capability_warn));
    put("investigationWarn", json!(investigation_warn));
    put("sessionWarn", json!(session_warn));
    put("installWarn", json!(install_warn));
    put("copilotWarn", copilot_warn);
    put("contextWarn", json!(context_warn));
    put("semanticsWarn", json!(semantics_warn));
    put("copilot", copilot);
    put("summaryGapWarn", json!(sum_warn));
    put("specWarn", json!(spec_warn));
    put("planWarn", json!(plan_warn));
    put("planSelfEvaluation", plan_self);
    put("planReviewStatus", json!(review));
    put("activeRun", run.unwrap_or(Value::Null));
    put("eventsSummary", events);
    put("memoryLayers", layers);
    for k in ENTERPRISE_FIELDS.into_iter().chain(["enterpriseWarn"]) {
        put(k, ent.get(k).cloned().unwrap_or(Value::Null));
    }
    put("azureActive", json!(az_active));
    put("azure", azure);
    put("contextPacks", context_packs);
    put("contextQuality", context_quality);
    put("semanticsDrift", semantics);
    put("packFreshness", pack_freshness);
    put("activeSummaryRefs", summary_refs);
    put("healthStatus", json!(health));
    put("next", next);
    put(
        "scanFocusGlobs",
        cfg.config
            .get("scan_focus_globs")
            .cloned()
            .unwrap_or(Value::Null),
    );
    put(
        "scanIgnoreGlobs",
        cfg.config
            .get("scan_ignore_globs")
            .cloned()
            .unwrap_or(Value::Null),
    );
    Value::Object(r)
}

/// `collectOxeRoutineHints(proj, report, config)`.
pub fn routine_hints(proj: &Path, report: &Value, cfg: &MergedConfig, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let has_state = proj.join(".oxe").join("STATE.md").exists();
    for (max_key, date_key, stale_key, what, advice_en, advice_pt) in [
        (
            "scan_max_age_days",
            "scanDate",
            "stale",
            "scan",
            "consider /oxe-scan",
            "considere /oxe-scan",
        ),
        (
            "compact_max_age_days",
            "compactDate",
            "staleCompact",
            "compact",
            "consider /oxe-compact if .oxe/codebase/ drifted from the code",
            "considere /oxe-compact se .oxe/codebase/ divergiu do código",
        ),
    ] {
        let max = cfg.num(max_key);
        if max <= 0.0 {
            continue;
        }
        let maxs = oxe_runtime::jsjson::number_to_js_string(max);
        let date = !report[date_key].is_null();
        if date && report[stale_key]["stale"] == json!(true) {
            let days = report[stale_key]["days"]
                .as_f64()
                .map(oxe_runtime::jsjson::number_to_js_string)
                .unwrap_or_default();
            out.push(t(
                lang,
                &format!("Last {what} was ~{days} day(s) ago (limit: {maxs}); {advice_en}"),
                &format!("Último {what} há ~{days} dia(s) (limite: {maxs}); {advice_pt}"),
            ));
        } else if !date && has_state {
            out.push(t(
                lang,
                &format!("Fill in **Data:** in STATE.md (section Último {what}) to get the age reminder, or set {max_key}: 0"),
                &format!("Preencha **Data:** em STATE.md (seção Último {what}) para o aviso de idade, ou use {max_key}: 0"),
            ));
        }
    }
    out
}
