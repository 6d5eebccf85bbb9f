//! `oxe-cc status [--json] [--hints] [--full] [--dir p] [dir]`: the health
//! of a project's `.oxe/` and the single suggested next step. Reads only.

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::flags::InstallOpts;
use crate::health::config::{load_oxe_config_merged, MergedConfig};
use crate::health::report::{build_health_report, routine_hints, HealthEnv};
use crate::health::{resolve_workflows_dir, t};
use crate::i18n::Lang;
use crate::output::{Ctx, NextStep, CYAN, DIM, GREEN, YELLOW};

/// The report environment of a command run.
pub fn health_env(ctx: &Ctx) -> HealthEnv {
    HealthEnv {
        vars: ctx.env.vars.clone(),
        lang: ctx.lang,
        package_root: ctx.env.package_root.clone(),
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The one-line `status --json` payload (schema 5).
pub fn json_payload(proj: &Path, r: &Value, hints: Option<Vec<String>>) -> Value {
    let mut p = Map::new();
    let next = &r["next"];
    let gates = &r["pendingGates"];
    let num_or = |v: &Value, d: f64| match v.as_f64() {
        Some(n) if n != 0.0 => n,
        _ => d,
    };
    let entries: Vec<(&str, Value)> = vec![
        ("oxeStatusSchema", json!(5)),
        ("projectRoot", json!(proj.to_string_lossy())),
        ("nextStep", next["step"].clone()),
        ("cursorCmd", next["cursorCmd"].clone()),
        ("reason", next["reason"].clone()),
        ("artifacts", next["artifacts"].clone()),
        ("phase", r["phase"].clone()),
        ("healthStatus", r["healthStatus"].clone()),
        ("activeSession", r["activeSession"].clone()),
        ("scanDate", r["scanDate"].clone()),
        ("staleScan", r["stale"].clone()),
        ("compactDate", r["compactDate"].clone()),
        ("staleCompact", r["staleCompact"].clone()),
        ("planSelfEvaluation", r["planSelfEvaluation"].clone()),
        ("planReviewStatus", r["planReviewStatus"].clone()),
        ("activeRun", r["activeRun"].clone()),
        ("eventsSummary", r["eventsSummary"].clone()),
        ("runtimeMode", r["runtimeMode"].clone()),
        ("fallbackMode", r["fallbackMode"].clone()),
        ("gateSla", json!(num_or(&gates["gateSlaHours"], 24.0))),
        (
            "staleGateCount",
            json!(num_or(&gates["staleGateCount"], 0.0)),
        ),
        ("verificationSummary", r["verificationSummary"].clone()),
        ("residualRiskSummary", r["residualRiskSummary"].clone()),
        ("evidenceCoverage", r["evidenceCoverage"].clone()),
        ("pendingGates", gates.clone()),
        ("gateQueue", r["gateQueue"].clone()),
        ("policyDecisionSummary", r["policyDecisionSummary"].clone()),
        ("policyCoverage", r["policyCoverage"].clone()),
        ("quotaSummary", r["quotaSummary"].clone()),
        ("auditSummary", r["auditSummary"].clone()),
        ("promotionSummary", r["promotionSummary"].clone()),
        ("promotionReadiness", r["promotionReadiness"].clone()),
        ("recoveryState", r["recoveryState"].clone()),
        ("multiAgent", r["multiAgent"].clone()),
        ("providerCatalog", r["providerCatalog"].clone()),
        ("memoryLayers", r["memoryLayers"].clone()),
        ("azureActive", r["azureActive"].clone()),
        ("azure", r["azure"].clone()),
        ("copilot", r["copilot"].clone()),
        ("contextPacks", r["contextPacks"].clone()),
        ("contextQuality", r["contextQuality"].clone()),
        ("semanticsDrift", r["semanticsDrift"].clone()),
        ("packFreshness", r["packFreshness"].clone()),
        ("activeSummaryRefs", r["activeSummaryRefs"].clone()),
        (
            "diagnostics",
            json!({
                "configParseError": r["configParseError"],
                "typeErrors": r["typeErrors"],
                "unknownConfigKeys": r["unknownConfigKeys"],
                "phaseWarnings": r["phaseWarn"],
                "runtimeWarnings": r["runtimeWarn"],
                "reviewWarnings": r["reviewWarn"],
                "enterpriseWarnings": r["enterpriseWarn"],
                "capabilityWarnings": r["capabilityWarn"],
                "investigationWarnings": r["investigationWarn"],
                "sessionWarnings": r["sessionWarn"],
                "installWarnings": r["installWarn"],
                "copilotWarnings": r["copilotWarn"],
                "contextWarnings": r["contextWarn"],
                "semanticsWarnings": r["semanticsWarn"],
                "summaryGapWarning": r["summaryGapWarn"],
                "specWarnings": r["specWarn"],
                "planWarnings": r["planWarn"],
            }),
        ),
    ];
    for (k, v) in entries {
        p.insert(k.into(), v);
    }
    if let Some(h) = hints {
        p.insert("hints".into(), json!(h));
    }
    Value::Object(p)
}

fn label(ctx: &Ctx, text: &str) -> String {
    ctx.paint(DIM, text)
}

fn warn_line(ctx: &mut Ctx, text: &str) {
    let tag = t(ctx.lang, "WARN", "AVISO");
    let line = format!("  {} {text}", ctx.paint(YELLOW, &tag));
    ctx.say(&line);
}

/// The `.oxe/` coherence block shared by `status` and `doctor`.
pub fn print_health_diagnostics(
    ctx: &mut Ctx,
    proj: &Path,
    r: &Value,
    cfg: &MergedConfig,
    skip_age: bool,
) {
    let lang = ctx.lang;
    let head = t(
        lang,
        "▸ .oxe/ and config coherence",
        "▸ Coerência de .oxe/ e config",
    );
    let line = format!("\n  {}", ctx.paint(CYAN, &head));
    ctx.say(&line);
    let l = label(ctx, &t(lang, "Health:", "Saúde:"));
    ctx.say(&format!(
        "  {l} {}",
        r["healthStatus"].as_str().unwrap_or("")
    ));
    if let Some(e) = r["configParseError"].as_str() {
        let fail = t(lang, "FAIL", "FALHA");
        let line = format!(
            "  {} config.json: {e}",
            ctx.paint(crate::output::RED, &fail)
        );
        ctx.say(&line);
        return;
    }
    for e in strs(&r["typeErrors"]) {
        warn_line(ctx, &e);
    }
    let unknown = strs(&r["unknownConfigKeys"]);
    if !unknown.is_empty() {
        let msg = t(
            lang,
            "Unknown keys in .oxe/config.json (not used by oxe-cc): ",
            "Chaves desconhecidas em .oxe/config.json (não usadas pelo oxe-cc): ",
        );
        warn_line(ctx, &format!("{msg}{}", unknown.join(", ")));
    }
    let kv = |ctx: &mut Ctx, en: &str, pt: &str, v: String| {
        let l = label(ctx, &t(lang, en, pt));
        ctx.say(&format!("  {l} {v}"));
    };
    if let Some(p) = r["phase"].as_str() {
        kv(ctx, "Phase (STATE.md):", "Fase (STATE.md):", p.into());
    }
    if let Some(s) = r["activeSession"].as_str() {
        kv(ctx, "Active session:", "Sessão ativa:", s.into());
    }
    if let Some(s) = r["planReviewStatus"].as_str() {
        kv(ctx, "Plan review:", "Revisão do plano:", s.into());
    }
    if let Some(id) = r["activeRun"]["run_id"].as_str().filter(|s| !s.is_empty()) {
        let st = r["activeRun"]["status"]
            .as_str()
            .filter(|s| !s.is_empty())
            .unwrap_or("planned");
        kv(ctx, "Active run:", "Run ativo:", format!("{id} ({st})"));
    }
    let total = r["eventsSummary"]["total"].as_u64().unwrap_or(0);
    kv(
        ctx,
        "Tracing:",
        "Tracing:",
        t(
            lang,
            &format!("{total} event(s)"),
            &format!("{total} evento(s)"),
        ),
    );
    let se = &r["planSelfEvaluation"];
    if se["hasSection"] == json!(true) {
        let best = se["bestPlan"].as_str().unwrap_or("—").to_string();
        let conf = se["confidence"]
            .as_f64()
            .map_or("—".to_string(), |c| format!("{c}%"));
        kv(
            ctx,
            "Plan (self-evaluation):",
            "Plano (autoavaliação):",
            t(
                lang,
                &format!("best={best} | confidence={conf}"),
                &format!("melhor={best} | confiança={conf}"),
            ),
        );
    }
    let cq = &r["contextQuality"];
    let dash = |v: &Value| match v {
        Value::Null => "—".to_string(),
        Value::String(s) if s.is_empty() => "—".to_string(),
        other => oxe_runtime::jsjson::js_string(other),
    };
    kv(
        ctx,
        "Context:",
        "Contexto:",
        format!(
            "score={} | workflow={} | status={}",
            dash(&cq["primaryScore"]),
            dash(&cq["primaryWorkflow"]),
            dash(&cq["primaryStatus"])
        ),
    );
    let ok = r["semanticsDrift"]["ok"] == json!(true);
    kv(
        ctx,
        "Multi-runtime semantics:",
        "Semântica multi-runtime:",
        if ok {
            t(lang, "aligned", "alinhada")
        } else {
            t(lang, "drifted", "com drift")
        },
    );
    let cp = &r["copilot"];
    if cp["detected"] == json!(true) || !strs(&cp["warnings"]).is_empty() {
        let src = match cp["promptSource"].as_str() {
            Some("workspace") => ".github/prompts/".to_string(),
            Some("legacy_global") => t(
                lang,
                "~/.copilot/prompts/ (legacy)",
                "~/.copilot/prompts/ (legado)",
            ),
            _ => t(lang, "missing", "ausente"),
        };
        kv(
            ctx,
            "Copilot VS Code:",
            "Copilot VS Code:",
            format!("target=workspace | source={src}"),
        );
        let wp = ctx.display_path(Path::new(
            cp["workspace"]["promptsDir"].as_str().unwrap_or(""),
        ));
        kv(ctx, "Copilot workspace:", "Copilot workspace:", wp);
        if cp["legacy"]["detected"] == json!(true) {
            let lp = ctx.display_path(Path::new(cp["legacy"]["root"].as_str().unwrap_or("")));
            kv(ctx, "Legacy global:", "Legado global:", lp);
        }
    }
    if r["azureActive"] == json!(true) && r["azure"].is_object() {
        let az = &r["azure"];
        let login = if az["authStatus"]["login_active"] == json!(true) {
            t(lang, "signed in", "login ativo")
        } else {
            t(lang, "not signed in", "sem login")
        };
        let sub = az["profile"]["subscription_name"]
            .as_str()
            .or(az["profile"]["subscription_id"].as_str())
            .unwrap_or("—")
            .to_string();
        kv(
            ctx,
            "Azure:",
            "Azure:",
            format!("{login} | subscription={sub}"),
        );
        let inv = az["inventorySummary"]["total"].as_u64().unwrap_or(0);
        let pend = az["pendingOperations"].as_u64().unwrap_or(0);
        kv(
            ctx,
            "Azure inventory:",
            "Inventário Azure:",
            t(
                lang,
                &format!("total={inv} | pending={pend}"),
                &format!("total={inv} | pendências={pend}"),
            ),
        );
        if az["inventoryStale"]["stale"] == json!(true) {
            warn_line(
                ctx,
                &t(
                    lang,
                    "Azure inventory is stale; run npx oxe-cc azure sync",
                    "Inventário Azure desatualizado; rode npx oxe-cc azure sync",
                ),
            );
        }
        for w in strs(&az["warnings"]) {
            warn_line(ctx, &w);
        }
    }
    if !skip_age {
        let report_hints = routine_hints(proj, r, cfg, lang);
        for h in report_hints {
            warn_line(ctx, &h);
        }
    }
    let focus = cfg.strings("scan_focus_globs");
    if !focus.is_empty() {
        kv(
            ctx,
            "Scan focus (config):",
            "Scan (foco no config):",
            focus.join(", "),
        );
    }
    let ignore = cfg.strings("scan_ignore_globs");
    if !ignore.is_empty() {
        kv(ctx, "Scan ignores:", "Scan (ignorar):", ignore.join(", "));
    }
    for key in [
        "phaseWarn",
        "runtimeWarn",
        "reviewWarn",
        "capabilityWarn",
        "investigationWarn",
        "sessionWarn",
        "installWarn",
        "copilotWarn",
        "contextWarn",
        "semanticsWarn",
    ] {
        for w in strs(&r[key]) {
            warn_line(ctx, &w);
        }
    }
    if let Some(w) = r["summaryGapWarn"].as_str() {
        warn_line(ctx, w);
    }
    for key in ["specWarn", "planWarn"] {
        for w in strs(&r[key]) {
            warn_line(ctx, &w);
        }
    }
}

fn mark(ctx: &Ctx, ok: bool) -> String {
    if ok {
        ctx.paint(GREEN, "✓")
    } else {
        ctx.paint(DIM, "✗")
    }
}

/// Copilot, Cursor and Claude Code readiness of the project.
pub fn ide_readiness(ctx: &Ctx, proj: &Path) -> [(&'static str, bool); 3] {
    let copilot = proj.join(".github").join("prompts").exists()
        || proj
            .join(".github")
            .join("copilot-instructions.md")
            .exists();
    let cursor = proj.join(".cursor").join("commands").exists();
    let claude = proj.join("commands").join("oxe").exists()
        || ctx
            .env
            .home()
            .is_some_and(|h| h.join(".claude").join("commands").exists());
    [
        ("Copilot", copilot),
        ("Cursor", cursor),
        ("Claude Code", claude),
    ]
}

fn run_full(ctx: &mut Ctx, proj: &Path, r: &Value) {
    let lang = ctx.lang;
    ctx.section("OXE ▸ status --full");
    let session = r["activeSession"].as_str().unwrap_or("—").to_string();
    let phase = r["phase"].as_str().unwrap_or("—").to_string();
    let l = label(ctx, &t(lang, "Session:", "Sessão:"));
    ctx.say(&format!("  {l} {session}"));
    let l = label(ctx, &t(lang, "Phase:", "Fase:"));
    ctx.say(&format!("  {l} {phase}"));
    let l = label(ctx, &t(lang, "Health:", "Saúde:"));
    ctx.say(&format!(
        "  {l} {}",
        r["healthStatus"].as_str().unwrap_or("")
    ));
    let cp = &r["copilot"];
    let l = label(ctx, "Copilot:");
    ctx.say(&format!(
        "  {l} status={} | source={}",
        cp["status"].as_str().unwrap_or(""),
        cp["promptSource"].as_str().unwrap_or("")
    ));
    let p = crate::health::OxePaths::new(proj, r["activeSession"].as_str());
    let cells = [
        (
            "codebase scan",
            crate::health::EXPECTED_CODEBASE_MAPS
                .iter()
                .all(|m| p.codebase.join(m).exists()),
        ),
        ("SPEC", p.spec.exists()),
        ("PLAN", p.plan.exists()),
        ("VERIFY", p.verify.exists()),
        ("LESSONS", p.global_lessons.exists() || p.lessons.exists()),
    ];
    let head = t(lang, "Coverage", "Cobertura");
    let line = format!("\n  {}", ctx.paint(CYAN, &head));
    ctx.say(&line);
    let row: Vec<String> = cells
        .iter()
        .map(|(n, ok)| format!("{} {n}", mark(ctx, *ok)))
        .collect();
    ctx.say(&format!("  {}", row.join("  ")));
    let ready = p.spec.exists()
        && p.plan.exists()
        && strs(&r["planWarn"]).is_empty()
        && strs(&r["runtimeWarn"]).is_empty();
    let l = label(ctx, &t(lang, "Ready to execute:", "Pronto para executar:"));
    let v = if ready {
        t(lang, "yes", "sim")
    } else {
        t(lang, "no", "não")
    };
    ctx.say(&format!("  {l} {v}"));
    let run = r["activeRun"]["run_id"].as_str().unwrap_or("—").to_string();
    let l = label(ctx, &t(lang, "Active run:", "Run ativo:"));
    ctx.say(&format!("  {l} {run}"));
    let head = t(lang, "Runtime", "Runtime");
    let line = format!("\n  {}", ctx.paint(CYAN, &head));
    ctx.say(&line);
    ctx.say(&format!(
        "  mode={} | fallback={} | gates={} | promotion={}",
        r["runtimeMode"]["runtime_mode"].as_str().unwrap_or(""),
        r["fallbackMode"].as_str().unwrap_or(""),
        r["pendingGates"]["pending"].as_array().map_or(0, Vec::len),
        r["promotionReadiness"]["status"].as_str().unwrap_or("")
    ));
    let head = t(lang, "Context and semantics", "Contexto e semântica");
    let line = format!("\n  {}", ctx.paint(CYAN, &head));
    ctx.say(&line);
    ctx.say(&format!(
        "  context={} | semantics={}",
        r["contextQuality"]["primaryStatus"].as_str().unwrap_or("—"),
        if r["semanticsDrift"]["ok"] == json!(true) {
            "ok"
        } else {
            "drift"
        }
    ));
    let se = &r["planSelfEvaluation"];
    if se["hasSection"] == json!(true) {
        let l = label(
            ctx,
            &t(lang, "Plan self-evaluation:", "Autoavaliação do plano:"),
        );
        ctx.say(&format!(
            "  {l} {} | {}",
            se["bestPlan"].as_str().unwrap_or("—"),
            se["confidence"]
                .as_f64()
                .map_or("—".into(), |c| format!("{c}%"))
        ));
    }
    print_next(ctx, &r["next"]);
    ctx.say("");
}

fn print_next(ctx: &mut Ctx, next: &Value) {
    let lang = ctx.lang;
    let head = t(lang, "Suggested next step", "Próximo passo sugerido");
    let line = format!("\n  {}", ctx.paint(YELLOW, &head));
    ctx.say(&line);
    let step = next["step"].as_str().unwrap_or("").to_string();
    let cmd = next["cursorCmd"].as_str().unwrap_or("").to_string();
    let reason = next["reason"].as_str().unwrap_or("").to_string();
    let l = label(ctx, &t(lang, "Step:", "Passo:"));
    let v = ctx.paint(GREEN, &step);
    ctx.say(&format!("  {l} {v}"));
    let l = label(ctx, &t(lang, "In the agent:", "No agente:"));
    let v = ctx.paint(CYAN, &cmd);
    ctx.say(&format!("  {l} {v}"));
    let l = label(ctx, &t(lang, "Why:", "Motivo:"));
    ctx.say(&format!("  {l} {reason}"));
}

/// Runs `status`. Always exit 0 (the missing-folder case is handled before).
pub fn run(ctx: &mut Ctx, o: &InstallOpts) -> i32 {
    let proj = o.dir.clone();
    let env = health_env(ctx);
    let lang: Lang = ctx.lang;
    let cfg = load_oxe_config_merged(&proj, &ctx.env.vars, lang);
    let r = build_health_report(&proj, &env);
    if o.status_full {
        run_full(ctx, &proj, &r);
        return 0;
    }
    let hints = routine_hints(&proj, &r, &cfg, lang);
    if o.json_output {
        let payload = json_payload(&proj, &r, o.status_hints.then(|| hints.clone()));
        let line = oxe_runtime::jsjson::to_line(&payload);
        ctx.say(&line);
        return 0;
    }
    ctx.section("OXE ▸ status");
    let l = ctx.paint(GREEN, &t(lang, "Project:", "Projeto:"));
    let v = ctx.paint(CYAN, &proj.to_string_lossy());
    ctx.say(&format!("  {l} {v}"));
    if resolve_workflows_dir(&proj).is_none() {
        warn_line(
            ctx,
            &t(
                lang,
                "No OXE workflows found; install them with npx oxe-cc@latest",
                "Workflows OXE não encontrados; instale com npx oxe-cc@latest",
            ),
        );
    }
    print_health_diagnostics(ctx, &proj, &r, &cfg, o.status_hints);
    let ides: Vec<String> = ide_readiness(ctx, &proj)
        .iter()
        .map(|(n, ok)| format!("{n} {}", mark(ctx, *ok)))
        .collect();
    let l = label(ctx, "IDEs:");
    ctx.say(&format!("\n  {l} {}", ides.join("  ")));
    let pending = r["pendingGates"]["pending"].as_array().map_or(0, Vec::len);
    let stale = r["pendingGates"]["staleGateCount"].as_u64().unwrap_or(0);
    if pending > 0 || stale > 0 {
        let mut parts = Vec::new();
        if pending > 0 {
            parts.push(t(
                lang,
                &format!("{pending} pending"),
                &format!("{pending} pendente(s)"),
            ));
        }
        if stale > 0 {
            parts.push(format!("{stale} stale"));
        }
        let l = ctx.paint(YELLOW, "⚠ Gates:");
        let c = ctx.paint(CYAN, "npx oxe-cc runtime gates list --dir .");
        ctx.say(&format!("  {l} {}: {c}", parts.join(", ")));
    }
    let oxe = proj.join(".oxe");
    let block = if !oxe.join("SPEC.md").exists() {
        Some((
            true,
            t(
                lang,
                "SPEC.md is missing; run /oxe-spec before planning",
                "SPEC.md ausente; rode /oxe-spec antes de planejar",
            ),
        ))
    } else if !oxe.join("PLAN.md").exists() {
        Some((
            true,
            t(
                lang,
                "PLAN.md is missing; run /oxe-plan",
                "PLAN.md ausente; rode /oxe-plan",
            ),
        ))
    } else if !oxe.join("VERIFY.md").exists() {
        Some((
            false,
            t(
                lang,
                "VERIFY.md not written yet; run /oxe-verify after executing",
                "VERIFY.md ainda não gerado; rode /oxe-verify após executar",
            ),
        ))
    } else {
        None
    };
    if let Some((blocking, text)) = block {
        let l = if blocking {
            ctx.paint(YELLOW, &t(lang, "⚠ Blocked:", "⚠ Bloqueio:"))
        } else {
            ctx.paint(DIM, &t(lang, "Note:", "Obs.:"))
        };
        ctx.say(&format!("  {l} {text}"));
    }
    if o.status_hints {
        let head = t(lang, "Reminders (OXE routine)", "Lembretes (rotina OXE)");
        let line = format!("\n  {}", ctx.paint(CYAN, &head));
        ctx.say(&line);
        let dot = ctx.paint(DIM, "•");
        if hints.is_empty() {
            let none = t(lang, "None (set scan_max_age_days / compact_max_age_days in .oxe/config.json for age reminders)", "Nenhum (ajuste scan_max_age_days / compact_max_age_days em .oxe/config.json para lembretes por idade)");
            ctx.say(&format!("  {dot} {none}"));
        }
        for h in &hints {
            ctx.say(&format!("  {dot} {h}"));
        }
    }
    print_next(ctx, &r["next"]);
    let artifacts = strs(&r["next"]["artifacts"]).join(", ");
    let bullets = vec![
        t(
            lang,
            &format!("Health: {}", r["healthStatus"].as_str().unwrap_or("")),
            &format!("Saúde: {}", r["healthStatus"].as_str().unwrap_or("")),
        ),
        t(
            lang,
            &format!("Artifacts involved: {artifacts}"),
            &format!("Artefatos em jogo: {artifacts}"),
        ),
    ];
    let next = vec![
        NextStep {
            desc: t(
                lang,
                "Full diagnosis (includes the workflows package):",
                "Diagnóstico completo (inclui o pacote de workflows):",
            ),
            cmd: "npx oxe-cc doctor".into(),
        },
        NextStep {
            desc: t(
                lang,
                "Suggested action in the agent:",
                "Ação sugerida no agente:",
            ),
            cmd: r["next"]["cursorCmd"].as_str().unwrap_or("").to_string(),
        },
    ];
    ctx.footer(&bullets, &next, false);
    let done = t(lang, "status finished.", "status concluído.");
    ctx.done(&done);
    0
}
