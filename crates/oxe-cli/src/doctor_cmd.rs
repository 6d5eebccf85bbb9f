//! `oxe-cc doctor [--dir p] [dir]`: checks Node, the workflows against the
//! package, STATE/config, codebase maps, IDE readiness, then the health
//! block of `status`. Exit 1 on a hard failure or a `broken` project.
//! Reads only.

use crate::flags::InstallOpts;
use crate::health::config::load_oxe_config_merged;
use crate::health::doctor::validate_workflow_shapes;
use crate::health::report::build_health_report;
use crate::health::{contract_slugs, md_files, resolve_workflows_dir, t, EXPECTED_CODEBASE_MAPS};
use crate::output::{Ctx, NextStep, CYAN, DIM, GREEN, RED, YELLOW};
use crate::status_cmd::{health_env, ide_readiness, print_health_diagnostics};

fn ok(ctx: &mut Ctx, text: &str) {
    let line = format!("{} {text}", ctx.paint(GREEN, "OK"));
    ctx.say(&line);
}

fn fail(ctx: &mut Ctx, text: &str) -> i32 {
    let tag = t(ctx.lang, "FAIL", "FALHA");
    let line = format!("{} {text}", ctx.paint(RED, &tag));
    ctx.say(&line);
    1
}

fn note(ctx: &mut Ctx, text: &str) {
    let tag = t(ctx.lang, "Note:", "Obs.:");
    let line = format!("{} {text}", ctx.paint(DIM, &tag));
    ctx.say(&line);
}

fn warn(ctx: &mut Ctx, text: &str) {
    let tag = t(ctx.lang, "WARN", "AVISO");
    let line = format!("{} {text}", ctx.paint(YELLOW, &tag));
    ctx.say(&line);
}

/// The Node.js version the CLI runs under (`OXE_NODE_VERSION`, set by the
/// JS entry point from `process.versions.node`).
fn node_version(ctx: &Ctx) -> String {
    ctx.env
        .var("OXE_NODE_VERSION")
        .filter(|v| !v.is_empty())
        .map(String::from)
        .or_else(|| {
            std::process::Command::new("node")
                .arg("-p")
                .arg("process.versions.node")
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        })
        .unwrap_or_else(|| "0.0.0".into())
}

/// Runs `doctor`.
pub fn run(ctx: &mut Ctx, o: &InstallOpts) -> i32 {
    let lang = ctx.lang;
    let proj = o.dir.clone();
    ctx.section("OXE ▸ doctor");
    let l = ctx.paint(GREEN, &t(lang, "Project:", "Projeto:"));
    let v = ctx.paint(CYAN, &proj.to_string_lossy());
    ctx.say(&format!("  {l} {v}"));
    let version = node_version(ctx);
    let major: f64 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0.0);
    let min = crate::sdk::read_min_node(Some(&ctx.env.package_root));
    ctx.say(&t(
        lang,
        &format!("  Node.js {version} (package minimum: {min})"),
        &format!("  Node.js {version} (mínimo exigido pelo pacote: {min})"),
    ));
    if major < min {
        return fail(
            ctx,
            &t(
                lang,
                "Node.js is older than the package's engines field requires",
                "Versão do Node abaixo do exigido em engines do pacote",
            ),
        );
    }
    ok(ctx, "Node.js");
    let wf_pkg = ctx.env.package_root.join("oxe").join("workflows");
    if !wf_pkg.exists() {
        let p = wf_pkg.display().to_string();
        return fail(
            ctx,
            &t(
                lang,
                &format!("The npm package has no workflows: {p}"),
                &format!("Workflows do pacote npm ausentes: {p}"),
            ),
        );
    }
    let expected = md_files(&wf_pkg);
    let Some(wf) = resolve_workflows_dir(&proj) else {
        warn(ctx, &t(lang, "This project has neither oxe/workflows/ nor .oxe/workflows/; install with npx oxe-cc@latest", "Não há oxe/workflows/ nem .oxe/workflows/ neste projeto; instale com npx oxe-cc@latest"));
        return 1;
    };
    let actual = md_files(&wf);
    let missing: Vec<String> = expected
        .iter()
        .filter(|f| !actual.contains(f))
        .cloned()
        .collect();
    let extra: Vec<String> = actual
        .iter()
        .filter(|f| !expected.contains(f))
        .cloned()
        .collect();
    if !missing.is_empty() {
        let m = missing.join(", ");
        return fail(
            ctx,
            &t(
                lang,
                &format!("Workflows missing compared with the package: {m}"),
                &format!("Faltam workflows em relação ao pacote: {m}"),
            ),
        );
    }
    if !extra.is_empty() {
        let e = extra.join(", ");
        note(
            ctx,
            &t(
                lang,
                &format!("Extra workflows in the project (fine in forks): {e}"),
                &format!("Há workflows extras no projeto (ok em forks): {e}"),
            ),
        );
    }
    let sep = std::path::MAIN_SEPARATOR;
    let wf_label = if wf.to_string_lossy().contains(&format!("{sep}.oxe{sep}")) {
        ".oxe/workflows"
    } else {
        "oxe/workflows"
    };
    let n = expected.len();
    ok(
        ctx,
        &t(
            lang,
            &format!("{wf_label} holds the {n} files the package expects"),
            &format!("{wf_label} contém os {n} arquivos esperados do pacote"),
        ),
    );
    let shape = validate_workflow_shapes(&wf, 45000.0, lang);
    for w in shape["warnings"].as_array().cloned().unwrap_or_default() {
        let tag = t(lang, "Note (workflow):", "Obs. (workflow):");
        let line = format!(
            "{} {}",
            ctx.paint(YELLOW, &tag),
            w["message"].as_str().unwrap_or("")
        );
        ctx.say(&line);
    }
    let slugs = contract_slugs(&ctx.env.package_root);
    let orphans: Vec<String> = actual
        .iter()
        .map(|f| f.trim_end_matches(".md").to_string())
        .filter(|s| !slugs.contains(s))
        .collect();
    if orphans.is_empty() {
        ok(
            ctx,
            &t(
                lang,
                "Every workflow has a registered semantic contract",
                "Todos os workflows têm contrato semântico registrado",
            ),
        );
    }
    for s in orphans {
        warn(ctx, &t(lang, &format!("Workflow without a semantic contract in the registry: {s}.md; add it to workflow-runtime-contracts.json or run `npx oxe-cc update`."), &format!("Workflow sem contrato semântico no registry: {s}.md; adicione em workflow-runtime-contracts.json ou rode `npx oxe-cc update`.")));
    }
    let state = proj.join(".oxe").join("STATE.md");
    if state.exists() {
        ok(
            ctx,
            &t(lang, ".oxe/STATE.md found", ".oxe/STATE.md encontrado"),
        );
    } else {
        note(
            ctx,
            &t(
                lang,
                ".oxe/STATE.md is missing; run oxe-cc init-oxe or install without --no-init-oxe",
                ".oxe/STATE.md ausente; rode oxe-cc init-oxe ou instale sem --no-init-oxe",
            ),
        );
    }
    let cfg_path = proj.join(".oxe").join("config.json");
    if cfg_path.exists() {
        let raw = std::fs::read_to_string(&cfg_path).map_err(|e| e.to_string());
        match raw.and_then(|r| oxe_runtime::jsjson::parse(&r).map_err(|e| e.to_string())) {
            Ok(_) => ok(
                ctx,
                &t(
                    lang,
                    ".oxe/config.json (valid JSON)",
                    ".oxe/config.json (JSON válido)",
                ),
            ),
            Err(e) => {
                return fail(
                    ctx,
                    &t(
                        lang,
                        &format!(".oxe/config.json is not valid JSON: {e}"),
                        &format!(".oxe/config.json com JSON inválido: {e}"),
                    ),
                );
            }
        }
    } else {
        note(
            ctx,
            &t(
                lang,
                ".oxe/config.json is missing (optional; see oxe/templates/CONFIG.md)",
                ".oxe/config.json ausente (opcional; veja oxe/templates/CONFIG.md)",
            ),
        );
    }
    let cb = proj.join(".oxe").join("codebase");
    if cb.exists() {
        let miss: Vec<&str> = EXPECTED_CODEBASE_MAPS
            .iter()
            .copied()
            .filter(|m| !cb.join(m).exists())
            .collect();
        if miss.is_empty() {
            ok(
                ctx,
                &t(
                    lang,
                    &format!(
                        ".oxe/codebase/ has the {} expected maps",
                        EXPECTED_CODEBASE_MAPS.len()
                    ),
                    &format!(
                        ".oxe/codebase/ com os {} mapas esperados",
                        EXPECTED_CODEBASE_MAPS.len()
                    ),
                ),
            );
        } else {
            let m = miss.join(", ");
            let tag = t(lang, "Note:", "Obs.:");
            let text = t(
                lang,
                &format!("Incomplete codebase map; missing in .oxe/codebase/: {m} (run /oxe-scan)"),
                &format!(
                    "Mapa do codebase incompleto; faltam em .oxe/codebase/: {m} (rode /oxe-scan)"
                ),
            );
            let line = format!("{} {text}", ctx.paint(YELLOW, &tag));
            ctx.say(&line);
        }
    }
    ctx.say("");
    let hints = [
        t(
            lang,
            ".github/prompts/ or copilot-instructions.md",
            ".github/prompts/ ou copilot-instructions.md",
        ),
        ".cursor/commands/".to_string(),
        t(
            lang,
            "commands/oxe/ or ~/.claude/commands/",
            "commands/oxe/ ou ~/.claude/commands/",
        ),
    ];
    for ((name, ready), hint) in ide_readiness(ctx, &proj).into_iter().zip(hints) {
        if ready {
            ok(
                ctx,
                &t(
                    lang,
                    &format!("{name} ready ({hint})"),
                    &format!("{name} pronto ({hint})"),
                ),
            );
        } else {
            note(
                ctx,
                &t(
                    lang,
                    &format!("{name} not detected; expected {hint}"),
                    &format!("{name} não detectado; esperado {hint}"),
                ),
            );
        }
    }
    if proj.join("lib").join("runtime").join("index.js").exists()
        || proj
            .join("packages")
            .join("runtime")
            .join("dist-tests")
            .exists()
    {
        ok(
            ctx,
            &t(
                lang,
                "Compiled runtime found; enterprise mode available",
                "Runtime compilado detectado; modo enterprise disponível",
            ),
        );
    } else {
        note(
            ctx,
            &t(
                lang,
                "Runtime not compiled; running in legacy mode (same workflow)",
                "Runtime não compilado; operando em modo legado (mesmo fluxo)",
            ),
        );
    }
    let (cmd, desc) = readiness(&state, lang);
    ctx.say("");
    if proj.join(".oxe").join("SPEC.md").exists() {
        let d = ctx.paint(GREEN, &format!("✓ {desc}"));
        let c = ctx.paint(CYAN, &cmd);
        let next = t(lang, "next", "próximo");
        ctx.say(&format!("  {d} ({next}: {c})"));
    } else {
        let c = ctx.paint(CYAN, &cmd);
        let text = t(lang, "⚠ SPEC missing; run", "⚠ Falta SPEC; rode");
        let line = format!("  {} {c}", ctx.paint(YELLOW, &text));
        ctx.say(&line);
    }
    let env = health_env(ctx);
    let cfg = load_oxe_config_merged(&proj, &ctx.env.vars, lang);
    let r = build_health_report(&proj, &env);
    print_health_diagnostics(ctx, &proj, &r, &cfg, false);
    let health = r["healthStatus"].as_str().unwrap_or("").to_string();
    let colour = match health.as_str() {
        "healthy" => GREEN,
        "warning" => YELLOW,
        _ => RED,
    };
    let label = t(lang, "Diagnosis", "Diagnóstico");
    let line = format!("\n  {label} {}", ctx.paint(colour, &health));
    ctx.say(&line);
    let bullets = vec![t(
        lang,
        &format!("Health: {health}"),
        &format!("Saúde: {health}"),
    )];
    let next = vec![NextStep {
        desc: t(
            lang,
            "Project state and the single next step:",
            "Estado do projeto e passo único:",
        ),
        cmd: "npx oxe-cc status".into(),
    }];
    ctx.footer(&bullets, &next, false);
    i32::from(health == "broken")
}

/// Doctor's own phase reading: the first `fase|phase|status[:\s]+word`.
fn readiness(state: &std::path::Path, lang: crate::i18n::Lang) -> (String, String) {
    let Ok(text) = std::fs::read_to_string(state) else {
        return (
            "/oxe-scan".into(),
            t(lang, "No STATE.md found", "Nenhum STATE.md encontrado"),
        );
    };
    let lower = text.to_lowercase();
    let mut phase = None;
    for key in ["fase", "phase", "status"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(key) {
            let at = from + i + key.len();
            let rest = &lower[at..];
            let sep = rest.len()
                - rest
                    .trim_start_matches(|c: char| c == ':' || c.is_whitespace())
                    .len();
            let word: String = rest[sep..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if sep > 0 && !word.is_empty() {
                phase = Some(word);
                break;
            }
            from = at;
        }
        if phase.is_some() {
            break;
        }
    }
    let phase = phase.unwrap_or_else(|| "init".into());
    let ready = |c: &str| {
        (
            c.to_string(),
            t(lang, &format!("Ready for {c}"), &format!("Pronto para {c}")),
        )
    };
    match phase.as_str() {
        "init" => ready("/oxe-scan"),
        "scan_complete" => ready("/oxe-spec"),
        "spec_complete" => ready("/oxe-plan"),
        "plan_complete" => ready("/oxe-execute"),
        "execute_complete" => ready("/oxe-verify"),
        "verify_complete" => (
            "runtime promote --target pr_draft".into(),
            t(lang, "Ready for promotion", "Pronto para promoção"),
        ),
        other => (
            "/oxe".into(),
            t(
                lang,
                &format!("Phase found: {other}"),
                &format!("Fase detectada: {other}"),
            ),
        ),
    }
}
